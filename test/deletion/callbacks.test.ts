import { expect } from 'chai';
import createDebug from 'debug';
import express from 'express';
import { PassThrough } from 'node:stream';
import { format } from 'node:util';
import sinon from 'sinon';
import {
  createDeauthorizeHandler,
  createDeletionHandler,
  createSignedRequest,
  MemoryDeletionStatusStore,
  type DeletionRecord,
  type DeletionStatusStore,
} from '../../src/deletion/index.js';
import { APP_SECRET, OTHER_USER, postForm, recordingPurger, send, serveExpress, serveNode, STATUS_URL, USER, type Started } from './helpers.js';

const signed = (userId = USER, secret = APP_SECRET) => createSignedRequest({ user_id: userId, issued_at: 1_700_000_000 }, secret);
const HEX_CODE = /^[0-9a-f]{32}$/;

describe('createDeletionHandler', () => {
  let server: Started | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    sinon.restore();
  });

  describe('on Node http', () => {
    it("should purge the signed user's business account and answer Meta's { url, confirmation_code }", async () => {
      const profiles = recordingPurger();
      const handler = createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL });
      server = await serveNode(handler);
      const reply = await postForm(server.url, { signed_request: signed() });
      expect(reply.status).to.equal(200);
      expect(reply.headers['content-type']).to.match(/^application\/json/);
      const body = reply.json();
      expect(Object.keys(body)).to.deep.equal(['url', 'confirmation_code']);
      expect(body.confirmation_code).to.match(HEX_CODE);
      expect(body.url).to.equal(`${STATUS_URL}?code=${body.confirmation_code}`);
      expect(profiles.purged).to.deep.equal([USER]);
      expect(await handler.store.get(body.confirmation_code)).to.include({ status: 'complete' });
    });

    it('should accept a JSON body too', async () => {
      const profiles = recordingPurger();
      server = await serveNode(createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL }));
      const reply = await send(server.url, 'POST', JSON.stringify({ signed_request: signed() }), 'application/json');
      expect(reply.status).to.equal(200);
      expect(profiles.purged).to.deep.equal([USER]);
    });

    it('should give every request its own code', async () => {
      server = await serveNode(createDeletionHandler({ appSecret: APP_SECRET, profiles: recordingPurger(), statusUrl: STATUS_URL }));
      const codes = new Set<string>();
      for (let i = 0; i < 5; i++) codes.add((await postForm(server.url, { signed_request: signed() })).json().confirmation_code);
      expect(codes.size).to.equal(5);
    });

    it('should answer 400 with a short reason and purge nothing when the signature is wrong', async () => {
      const profiles = recordingPurger();
      const store = storeSpy();
      server = await serveNode(createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL, store }));
      const reply = await postForm(server.url, { signed_request: signed(USER, 'a forger without the secret') });
      expect(reply).to.include({ status: 400, text: 'the signature does not match the app secret' });
      expect(profiles.purged).to.deep.equal([]);
      expect(store.set.called).to.equal(false);
    });

    it('should answer 400 for a wrong algorithm, a malformed value or a body without signed_request', async () => {
      const profiles = recordingPurger();
      server = await serveNode(createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL }));
      const wrongAlgorithm = createSignedRequest({ user_id: USER, algorithm: 'HMAC-SHA1' }, APP_SECRET);
      expect(await postForm(server.url, { signed_request: wrongAlgorithm })).to.include({ status: 400, text: 'the algorithm is not HMAC-SHA256' });
      expect((await postForm(server.url, { signed_request: 'garbage' })).status).to.equal(400);
      expect(await postForm(server.url, { other: 'field' })).to.include({ status: 400, text: 'the body has no signed_request' });
      expect(await send(server.url, 'POST', '{"signed_request":', 'application/json')).to.include({ status: 400, text: 'the body is not valid JSON' });
      expect(await send(server.url, 'POST')).to.include({ status: 400 });
      expect(profiles.purged).to.deep.equal([]);
    });

    it('should answer 413 to an oversized body, streamed or declared, and purge nothing', async () => {
      const profiles = recordingPurger();
      server = await serveNode(createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL }));
      const huge = `signed_request=${signed()}&padding=${'x'.repeat(20_000)}`;
      expect((await send(server.url, 'POST', huge, 'application/x-www-form-urlencoded')).status).to.equal(413);
      expect(profiles.purged).to.deep.equal([]);
    });

    it('should answer 405 to other methods, naming POST', async () => {
      server = await serveNode(createDeletionHandler({ appSecret: APP_SECRET, profiles: recordingPurger(), statusUrl: STATUS_URL }));
      const reply = await send(server.url, 'GET');
      expect(reply.status).to.equal(405);
      expect(reply.headers.allow).to.equal('POST');
    });
  });

  describe('on Express', () => {
    const parsers: Record<string, express.RequestHandler[]> = {
      'no body parser': [],
      'express.urlencoded() (a parsed req.body)': [express.urlencoded({ extended: false })],
      'express.text() (a string req.body)': [express.text({ type: '*/*' })],
      'express.raw() (a Buffer req.body)': [express.raw({ type: '*/*' })],
      'express.json(), which leaves a form body unread': [express.json()],
    };
    for (const [name, parserList] of Object.entries(parsers)) {
      it(`should read a form-encoded callback after ${name}`, async () => {
        const profiles = recordingPurger();
        server = await serveExpress({ '/instagram/deletion': createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL }) }, ...parserList);
        const reply = await postForm(`${server.url}/instagram/deletion`, { signed_request: signed() });
        expect(reply.status, reply.text).to.equal(200);
        expect(profiles.purged).to.deep.equal([USER]);
      });
    }

    it('should read a JSON callback after express.json() (a parsed req.body)', async () => {
      const profiles = recordingPurger();
      server = await serveExpress({ '/d': createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL }) }, express.json());
      expect((await send(`${server.url}/d`, 'POST', JSON.stringify({ signed_request: signed() }), 'application/json')).status).to.equal(200);
      expect(profiles.purged).to.deep.equal([USER]);
    });
  });

  describe('purging', () => {
    it('should purge every business account businessesOf names, each once', async () => {
      const profiles = recordingPurger();
      const businessesOf = sinon.stub().resolves([USER, OTHER_USER, USER]);
      server = await serveNode(createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL, businessesOf }));
      const person = '10158000000000000';
      expect((await postForm(server.url, { signed_request: signed(person) })).status).to.equal(200);
      expect(businessesOf.calledOnceWithExactly(person)).to.equal(true);
      expect(profiles.purged).to.have.members([USER, OTHER_USER]).and.have.length(2);
    });

    it("should still answer a code when a purge throws, purge the other accounts, and record 'failed'", async () => {
      const profiles = recordingPurger({ failFor: [USER] });
      const handler = createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL, businessesOf: () => [USER, OTHER_USER] });
      server = await serveNode(handler);
      const reply = await postForm(server.url, { signed_request: signed() });
      expect(reply.status).to.equal(200);
      const { confirmation_code: code } = reply.json();
      expect(code).to.match(HEX_CODE);
      expect(profiles.purged).to.deep.equal([OTHER_USER]);
      expect(await handler.store.get(code)).to.include({ status: 'failed' });
    });

    it("should record 'failed' when businessesOf throws or returns ids that are not digits", async () => {
      for (const businessesOf of [() => Promise.reject(new Error('db down')), () => ['../../etc'], () => 'not an array' as unknown as string[]]) {
        const profiles = recordingPurger();
        const handler = createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL, businessesOf });
        const started = await serveNode(handler);
        try {
          const reply = await postForm(started.url, { signed_request: signed() });
          expect(reply.status).to.equal(200);
          expect(await handler.store.get(reply.json().confirmation_code)).to.include({ status: 'failed' });
          expect(profiles.purged).to.deep.equal([]);
        } finally {
          await started.close();
        }
      }
    });

    it("should record 'complete' when businessesOf names no account (nothing is held)", async () => {
      const profiles = recordingPurger();
      const handler = createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL, businessesOf: () => [] });
      server = await serveNode(handler);
      const { confirmation_code: code } = (await postForm(server.url, { signed_request: signed() })).json();
      expect(await handler.store.get(code)).to.include({ status: 'complete' });
      expect(profiles.purged).to.deep.equal([]);
    });

    it("should record 'pending' without a completion time when the purger will finish later ({ complete: false })", async () => {
      const handler = createDeletionHandler({ appSecret: APP_SECRET, profiles: recordingPurger({ result: { removed: 0, complete: false } }), statusUrl: STATUS_URL });
      server = await serveNode(handler);
      const { confirmation_code: code } = (await postForm(server.url, { signed_request: signed() })).json();
      const record = await handler.store.get(code);
      expect(record?.status).to.equal('pending');
      expect(record).not.to.have.property('completedAt');
    });
  });

  describe('the status store', () => {
    it("should record 'pending' before purging and the outcome after, with the times of the clock and the ttl", async () => {
      const store = storeSpy();
      let time = 1_000_000;
      const now = () => (time += 500);
      const states: string[] = [];
      const profiles = { forgetBusiness: async () => void states.push((store.set.lastCall.args[1] as DeletionRecord).status) };
      server = await serveNode(createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL, store, now, statusTtlMs: 60_000 }));
      const { confirmation_code: code } = (await postForm(server.url, { signed_request: signed() })).json();
      expect(states).to.deep.equal(['pending']);
      expect(store.set.args).to.deep.equal([
        [code, { status: 'pending', requestedAt: 1_000_500 }, 60_000],
        [code, { status: 'complete', requestedAt: 1_000_500, completedAt: 1_001_000 }, 60_000],
      ]);
    });

    it('should still answer Meta with a code when the store fails', async () => {
      const store: DeletionStatusStore = { get: () => undefined, set: () => Promise.reject(new Error('redis down')) };
      const profiles = recordingPurger();
      server = await serveNode(createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL, store }));
      const reply = await postForm(server.url, { signed_request: signed() });
      expect(reply.status).to.equal(200);
      expect(reply.json().confirmation_code).to.match(HEX_CODE);
      expect(profiles.purged).to.deep.equal([USER]);
    });

    it('should keep a query of the status URL and add the code to it', async () => {
      server = await serveNode(createDeletionHandler({ appSecret: APP_SECRET, profiles: recordingPurger(), statusUrl: `${STATUS_URL}?lang=en` }));
      const { url, confirmation_code: code } = (await postForm(server.url, { signed_request: signed() })).json();
      expect(url).to.equal(`${STATUS_URL}?lang=en&code=${code}`);
    });

    it('should keep codes in a bounded in-memory store by default, each for statusTtlMs', () => {
      // Not 0: lru-cache reads a start time of 0 as "no ttl".
      let time = 1_000_000;
      const store = new MemoryDeletionStatusStore({ max: 2, now: () => time });
      store.set('a', { status: 'complete', requestedAt: 1 }, 1_000);
      store.set('b', { status: 'complete', requestedAt: 2 }, 5_000);
      store.set('c', { status: 'failed', requestedAt: 3 }, 5_000);
      expect(store.get('a'), 'evicted by max').to.equal(undefined);
      expect(store.get('b')).to.deep.equal({ status: 'complete', requestedAt: 2 });
      time += 5_001;
      expect(store.get('c'), 'expired').to.equal(undefined);
    });
  });

  describe('options', () => {
    const valid = { appSecret: APP_SECRET, profiles: recordingPurger(), statusUrl: STATUS_URL };
    const cases: Array<[string, Record<string, unknown>, RegExp, ErrorConstructor?]> = [
      ['a missing appSecret', { appSecret: undefined }, /"appSecret" is missing/],
      ['profiles without forgetBusiness', { profiles: { forget() {} } }, /"profiles" must have a forgetBusiness/],
      ['a missing statusUrl', { statusUrl: undefined }, /"statusUrl" is missing/],
      ['a relative statusUrl', { statusUrl: '/status' }, /"statusUrl" must be an absolute/],
      ['a statusUrl with credentials', { statusUrl: 'https://user:pw@example.com/s' }, /"statusUrl" must be an http\(s\) URL without/],
      ['a statusUrl of another scheme', { statusUrl: 'ftp://example.com/s' }, /"statusUrl"/],
      ['a store without get/set', { store: { get() {} } }, /"store" must have get/],
      ['businessesOf that is not a function', { businessesOf: [USER] }, /"businessesOf" must be a function/],
      ['a statusTtlMs below a second', { statusTtlMs: 10 }, /"statusTtlMs" must be between/, RangeError],
    ];
    for (const [name, change, message, type = TypeError] of cases) {
      it(`should refuse ${name} at construction, naming the option`, () => {
        expect(() => createDeletionHandler({ ...valid, ...change } as never)).to.throw(type, message);
      });
    }

    it('should never print the app secret in an option error', () => {
      try {
        createDeletionHandler({ ...valid, appSecret: { secret: APP_SECRET } as never });
        expect.fail('expected a TypeError');
      } catch (error) {
        expect(error).to.be.instanceOf(TypeError);
        expect(String(error)).not.to.include(APP_SECRET);
      }
    });
  });

  describe('debug output', () => {
    let lines: string[];
    let originalLog: typeof createDebug.log;
    let enabled: string;
    beforeEach(() => {
      lines = [];
      originalLog = createDebug.log;
      enabled = createDebug.disable();
      createDebug.enable('instagram-profile:deletion');
      createDebug.log = (...args: unknown[]) => void lines.push(format(...args));
    });
    afterEach(() => {
      createDebug.log = originalLog;
      createDebug.disable();
      if (enabled) createDebug.enable(enabled);
    });

    it('should log refusals and purges, never the signed request or the app secret', async () => {
      server = await serveNode(createDeletionHandler({ appSecret: APP_SECRET, profiles: recordingPurger({ failFor: [OTHER_USER] }), statusUrl: STATUS_URL, businessesOf: () => [USER, OTHER_USER] }));
      const good = signed();
      const forged = signed(USER, 'forger');
      await postForm(server.url, { signed_request: good });
      await postForm(server.url, { signed_request: forged });
      const text = lines.join('\n');
      expect(text).to.include('SIGNED_REQUEST_BAD_SIGNATURE');
      expect(text).to.include(`purging business ${OTHER_USER} failed`);
      for (const secret of [APP_SECRET, good, forged, ...good.split('.'), ...forged.split('.')]) expect(text).not.to.include(secret);
    });
  });
});

describe('createDeauthorizeHandler', () => {
  let server: Started | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('should purge the business account and answer 200 with no body', async () => {
    const profiles = recordingPurger();
    server = await serveNode(createDeauthorizeHandler({ appSecret: APP_SECRET, profiles }));
    expect(await postForm(server.url, { signed_request: signed() })).to.include({ status: 200, text: '' });
    expect(profiles.purged).to.deep.equal([USER]);
  });

  it('should purge through businessesOf on Express too', async () => {
    const profiles = recordingPurger();
    server = await serveExpress({ '/deauth': createDeauthorizeHandler({ appSecret: APP_SECRET, profiles, businessesOf: async () => [OTHER_USER] }) }, express.urlencoded({ extended: false }));
    expect((await postForm(`${server.url}/deauth`, { signed_request: signed() })).status).to.equal(200);
    expect(profiles.purged).to.deep.equal([OTHER_USER]);
  });

  it('should answer 400 and purge nothing for a forged request', async () => {
    const profiles = recordingPurger();
    server = await serveNode(createDeauthorizeHandler({ appSecret: APP_SECRET, profiles }));
    expect((await postForm(server.url, { signed_request: signed(USER, 'forger') })).status).to.equal(400);
    expect(profiles.purged).to.deep.equal([]);
  });

  it('should answer 500 when the purge failed, so that a retry can finish it', async () => {
    server = await serveNode(createDeauthorizeHandler({ appSecret: APP_SECRET, profiles: recordingPurger({ failFor: [USER] }) }));
    expect((await postForm(server.url, { signed_request: signed() })).status).to.equal(500);
  });

  it('should refuse options without appSecret or profiles, naming the option', () => {
    expect(() => createDeauthorizeHandler({ appSecret: undefined, profiles: recordingPurger() })).to.throw(TypeError, /"appSecret"/);
    expect(() => createDeauthorizeHandler({ appSecret: APP_SECRET, profiles: undefined as never })).to.throw(TypeError, /"profiles"/);
  });
});

function storeSpy() {
  const records = new Map<string, DeletionRecord>();
  return {
    get: sinon.spy((code: string) => records.get(code)),
    set: sinon.spy((code: string, record: DeletionRecord) => void records.set(code, { ...record })),
  };
}

describe('the callback handlers called directly', () => {
  afterEach(() => sinon.restore());

  /** The parts of a Node response the handlers use, recording what they answered. */
  function fakeResponse() {
    const answer = { status: 0, body: '', headers: {} as Record<string, string> };
    const res = {
      headersSent: false,
      set statusCode(value: number) {
        answer.status = value;
      },
      setHeader: (name: string, value: string) => void (answer.headers[name] = value),
      end: (body?: string) => void (answer.body = body ?? ''),
    };
    return { res, answer };
  }

  it("should still give a code, status 'failed', when forgetBusiness throws synchronously", async () => {
    const handler = createDeletionHandler({
      appSecret: APP_SECRET,
      profiles: { forgetBusiness: () => { throw new Error('not even a promise'); } },
      statusUrl: STATUS_URL,
    });
    const { res, answer } = fakeResponse();
    await handler({ method: 'POST', headers: {}, body: { signed_request: signed() } }, res);
    expect(answer.status).to.equal(200);
    const { confirmation_code: code } = JSON.parse(answer.body);
    expect(await handler.store.get(code)).to.include({ status: 'failed' });
  });

  it('should answer 408 when the body does not arrive within 10 s, and purge nothing', async () => {
    const clock = sinon.useFakeTimers();
    const profiles = recordingPurger();
    const handler = createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL });
    const req = Object.assign(new PassThrough(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const { res, answer } = fakeResponse();
    const pending = handler(req, res);
    req.write('signed_request=');
    await clock.tickAsync(10_000);
    await pending;
    expect(answer.status).to.equal(408);
    expect(profiles.purged).to.deep.equal([]);
  });

  it('should answer 413 from Content-Length alone, before reading', async () => {
    const handler = createDeletionHandler({ appSecret: APP_SECRET, profiles: recordingPurger(), statusUrl: STATUS_URL });
    const req = Object.assign(new PassThrough(), { method: 'POST', headers: { 'content-length': '1000000' } });
    const read = sinon.spy();
    req.on('data', read);
    const { res, answer } = fakeResponse();
    await handler(req, res);
    expect(answer.status).to.equal(413);
    expect(read.called).to.equal(false);
  });

  it('should answer 500 rather than reject when something unexpected fails', async () => {
    const handler = createDeauthorizeHandler({ appSecret: APP_SECRET, profiles: recordingPurger() });
    const { res, answer } = fakeResponse();
    const hostile = { method: 'POST', headers: {}, get body(): unknown { throw new Error('a getter that throws'); } };
    await handler(hostile, res);
    expect(answer.status).to.equal(500);
  });
});
