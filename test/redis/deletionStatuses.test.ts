import { expect } from 'chai';
import { createDeletionHandler, createDeletionStatusHandler, createSignedRequest, type DeletionRecord } from '../../src/deletion/index.js';
import { redisServerForSuite } from '../support/redisServer.js';
import { APP_SECRET, postForm, recordingPurger, send, serveNode, USER, type Started } from '../deletion/helpers.js';
import { CONTRACT_KINDS, endpoint, ioredis, storeFactory, until } from './clients.js';
import { type RedisProxy, startProxy } from './proxy.js';

const CODE = '0123456789abcdef0123456789abcdef';
const HOUR = 3_600_000;
const record: DeletionRecord = { status: 'complete', requestedAt: Date.UTC(2026, 0, 2, 3, 4, 5), completedAt: Date.UTC(2026, 0, 2, 3, 4, 6) };

/** The integer of a RESP integer reply (PTTL: -2 when there is no key). */
function integerOf(reply: string): number {
  return Number(reply.trim().slice(1));
}

for (const kind of CONTRACT_KINDS) {
  describe(`RedisProfileStore deletion statuses with ${kind.name}`, function () {
    this.timeout(10_000);
    const server = redisServerForSuite();
    const stores = storeFactory(kind, server);
    afterEach(() => stores.closeAll());

    it('should keep a code under the key prefix with its ttl, and let another instance read it', async () => {
      const writer = await stores.make({ keyPrefix: 'ds1:' });
      const reader = await stores.make({ keyPrefix: 'ds1:' });
      await writer.deletionStatuses.set(CODE, record, HOUR);
      expect(await reader.deletionStatuses.get(CODE)).to.deep.equal(record);
      const ttl = integerOf(await server().command('PTTL', `ds1:ds:${CODE}`));
      expect(ttl).to.be.within(HOUR - 5_000, HOUR);
      expect(JSON.parse((await server().command('GET', `ds1:ds:${CODE}`)).split('\r\n')[1]!)).to.deep.equal(record);
    });

    it('should replace a pending record with the outcome, and drop completedAt when absent', async () => {
      const store = await stores.make({ keyPrefix: 'ds2:' });
      await store.deletionStatuses.set(CODE, { status: 'pending', requestedAt: 5, completedAt: undefined }, HOUR);
      expect(await store.deletionStatuses.get(CODE)).to.deep.equal({ status: 'pending', requestedAt: 5 });
      await store.deletionStatuses.set(CODE, { status: 'failed', requestedAt: 5, completedAt: 9 }, HOUR);
      expect(await store.deletionStatuses.get(CODE)).to.deep.equal({ status: 'failed', requestedAt: 5, completedAt: 9 });
    });

    it('should answer undefined for an unknown, expired or other-prefix code', async () => {
      const store = await stores.make({ keyPrefix: 'ds3:' });
      const other = await stores.make({ keyPrefix: 'ds3other:' });
      expect(await store.deletionStatuses.get(CODE)).to.equal(undefined);
      await other.deletionStatuses.set(CODE, record, HOUR);
      expect(await store.deletionStatuses.get(CODE)).to.equal(undefined);
      await store.deletionStatuses.set('short-lived', record, 1_000);
      await server().command('PEXPIRE', 'ds3:ds:short-lived', 1);
      await until(async () => integerOf(await server().command('PTTL', 'ds3:ds:short-lived')) === -2, 1_000, 'the key to expire');
      expect(await store.deletionStatuses.get('short-lived')).to.equal(undefined);
    });

    it('should read a garbage value back as undefined, never throw', async () => {
      const store = await stores.make({ keyPrefix: 'ds4:' });
      const garbage = [
        'not json',
        '[]',
        '{"status":"gone","requestedAt":1}',
        '{"status":"complete"}',
        '{"status":"complete","requestedAt":"yesterday"}',
        '{"status":"complete","requestedAt":1,"completedAt":"later"}',
        JSON.stringify({ ...record, padding: 'x'.repeat(2_000) }),
      ];
      for (const [i, value] of garbage.entries()) {
        await server().command('SET', `ds4:ds:code${i}`, value);
        expect(await store.deletionStatuses.get(`code${i}`), value.slice(0, 60)).to.equal(undefined);
      }
      // Another type under the key (a reply error of the server) is not a record either.
      await server().command('RPUSH', 'ds4:ds:alist', 'x');
      expect(await store.deletionStatuses.get('alist')).to.equal(undefined);
    });

    it('should refuse a malformed code or record, and never read a key a code could not name', async () => {
      const store = await stores.make({ keyPrefix: 'ds5:' });
      for (const code of ['', 'a b', 'a*', '{x}', 'x'.repeat(129)]) {
        await expectRejection(store.deletionStatuses.set(code, record, HOUR), TypeError);
        expect(await store.deletionStatuses.get(code)).to.equal(undefined);
      }
      await expectRejection(store.deletionStatuses.set(CODE, { status: 'gone', requestedAt: 1 } as unknown as DeletionRecord, HOUR), TypeError);
      await expectRejection(store.deletionStatuses.set(CODE, { status: 'complete', requestedAt: Number.NaN }, HOUR), TypeError);
      await expectRejection(store.deletionStatuses.set(CODE, record, 0), RangeError);
      expect(integerOf(await server().command('EXISTS', `ds5:ds:${CODE}`))).to.equal(0);
    });
  });
}

describe('RedisProfileStore deletion statuses while Redis is unreachable', function () {
  this.timeout(10_000);
  const server = redisServerForSuite();
  const stores = storeFactory(ioredis, server);
  let proxy: RedisProxy;
  let http: Started | undefined;
  beforeEach(async () => {
    proxy = await startProxy(server().port);
  });
  afterEach(async () => {
    await http?.close();
    http = undefined;
    await stores.closeAll();
    await proxy.close();
  });

  it('should reject set and get with a coded error, and work again once Redis is back', async () => {
    const store = await stores.make({ keyPrefix: 'dsf1:', operationTimeoutMs: 50 }, endpoint(proxy.port));
    proxy.cut();
    const failedSet = await rejectionOf(store.deletionStatuses.set(CODE, record, HOUR));
    expect(failedSet).to.include({ code: 'DELETION_STATUS_UNAVAILABLE' });
    const failedGet = await rejectionOf(store.deletionStatuses.get(CODE));
    expect(failedGet).to.include({ code: 'DELETION_STATUS_UNAVAILABLE' });
    expect(failedGet.message).not.to.include(CODE);
    proxy.heal();
    await until(() => store.status() === 'ready', 5_000, 'ready again');
    await store.deletionStatuses.set(CODE, record, HOUR);
    expect(await store.deletionStatuses.get(CODE)).to.deep.equal(record);
  });

  it('should still answer Meta with a code, and the status page 503, when Redis cannot be reached', async () => {
    const store = await stores.make({ keyPrefix: 'dsf2:', operationTimeoutMs: 50 }, endpoint(proxy.port));
    const purger = recordingPurger();
    const deletion = createDeletionHandler({ appSecret: APP_SECRET, profiles: purger, statusUrl: 'https://bot.example.com/status', store });
    const status = createDeletionStatusHandler({ store });
    http = await serveNode((req, res) => (req.method === 'POST' ? deletion(req, res) : status(req, res)));
    proxy.cut();
    const answer = await postForm(http.url, { signed_request: createSignedRequest({ user_id: USER }, APP_SECRET) });
    expect(answer.status).to.equal(200);
    expect(answer.json().confirmation_code).to.match(/^[0-9a-f]{32}$/);
    expect(purger.purged).to.deep.equal([USER]);
    const page = await send(`${http.url}/status?code=${answer.json().confirmation_code}`, 'GET');
    expect(page.status).to.equal(503);
    expect(page.json()).to.deep.equal({ error: 'the status cannot be read right now' });
  });
});

async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

async function expectRejection(promise: Promise<unknown>, type: new (...args: never[]) => Error): Promise<void> {
  expect(await rejectionOf(promise)).to.be.instanceOf(type);
}
