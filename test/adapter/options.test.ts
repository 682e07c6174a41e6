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

  it('should say a missing secret is usually set from an environment variable, as process.env gives string | undefined', () => {
    const fromEnv: InstagramAdapterOptions = { appSecret: process.env.NO_SUCH_VARIABLE_SET, verifyToken: VERIFY_TOKEN, accessToken: ACCESS_TOKEN };
    expect(() => new InstagramAdapter(fromEnv)).to.throw(TypeError, /Option "appSecret" is missing: .*environment variable.*process\.env\.APP_SECRET/);
    expect(attempt({ accessToken: undefined })).to.throw(TypeError, /"accessToken" is missing.*PAGE_ACCESS_TOKEN/);
  });

  it('should throw naming apiVersion, graphUrl, dispatcher, limits and dedupe when they are wrong', () => {
    expect(attempt({ apiVersion: '26' })).to.throw(RangeError, /"apiVersion"/);
    expect(attempt({ graphUrl: 'ftp://x' })).to.throw(TypeError, /"graphUrl"/);
    expect(attempt({ dispatcher: {} })).to.throw(TypeError, /"dispatcher"/);
    expect(attempt({ maxBodyBytes: 10 })).to.throw(RangeError, /"maxBodyBytes"/);
    expect(attempt({ bodyTimeoutMs: 1.5 })).to.throw(TypeError, /"bodyTimeoutMs"/);
    expect(attempt({ dedupe: 'yes' })).to.throw(TypeError, /"dedupe"/);
    expect(attempt({ dedupe: { max: 10 } })).to.throw(TypeError, /"dedupe.max" is gone.*dedupe.maxBytes/);
    expect(attempt({ dedupe: { maxBytes: 10 } })).to.throw(RangeError, /"dedupe.maxBytes"/);
    expect(attempt({ dedupe: { store: {} } })).to.throw(TypeError, /"dedupe.store"/);
    expect(attempt({ maxConcurrentTurns: 0 })).to.throw(RangeError, /"maxConcurrentTurns"/);
    expect(attempt({ maxQueuedTurns: -1 })).to.throw(RangeError, /"maxQueuedTurns"/);
    expect(attempt({ now: 5 })).to.throw(TypeError, /"now"/);
  });
});
