import { expect } from 'chai';
import { MockAgent } from 'undici';
import { InstagramAdapter, type InstagramAdapterOptions } from '../../src/adapter/index.js';
import { ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN } from './helpers.js';

const valid: InstagramAdapterOptions = { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: ACCESS_TOKEN };

function attempt(overrides: Record<string, unknown>) {
  return () => new InstagramAdapter({ ...valid, ...overrides } as InstagramAdapterOptions);
}

describe('InstagramAdapter options', () => {
  it('should accept the minimal options, a token function and a dispatcher', async () => {
    const agent = new MockAgent();
    expect(attempt({})).to.not.throw();
    expect(attempt({ accessToken: async () => 'token', dispatcher: agent, dedupe: false, graphUrl: 'http://127.0.0.1:8787/' })).to.not.throw();
    await agent.close();
  });

  it('should throw a TypeError naming each missing or mistyped required option, without printing its value', () => {
    expect(attempt({ appSecret: undefined })).to.throw(TypeError, /"appSecret"/);
    expect(attempt({ verifyToken: '' })).to.throw(TypeError, /"verifyToken"/);
    expect(attempt({ accessToken: 42 })).to.throw(TypeError, /"accessToken"/);
    expect(attempt({ verifyToken: ['secret-in-an-array'] })).to.throw(TypeError).that.satisfies((e: Error) => !e.message.includes('secret-in-an-array'));
  });

  it('should throw naming apiVersion, graphUrl, dispatcher, limits and dedupe when they are wrong', () => {
    expect(attempt({ apiVersion: '26' })).to.throw(RangeError, /"apiVersion"/);
    expect(attempt({ graphUrl: 'ftp://x' })).to.throw(TypeError, /"graphUrl"/);
    expect(attempt({ dispatcher: {} })).to.throw(TypeError, /"dispatcher"/);
    expect(attempt({ maxBodyBytes: 10 })).to.throw(RangeError, /"maxBodyBytes"/);
    expect(attempt({ bodyTimeoutMs: 1.5 })).to.throw(TypeError, /"bodyTimeoutMs"/);
    expect(attempt({ dedupe: 'yes' })).to.throw(TypeError, /"dedupe"/);
    expect(attempt({ dedupe: { max: 0 } })).to.throw(RangeError, /"dedupe.max"/);
    expect(attempt({ now: 5 })).to.throw(TypeError, /"now"/);
  });
});
