import { expect } from 'chai';
import { RedisProfileStore, type RedisProfileStoreOptions } from '../../src/redis/index.js';
import { expectFinishedWithin, timed } from '../support/timing.js';

/** A client that never answers: construction must not need Redis. */
function fakeClient() {
  const subscriber = { subscribe: () => new Promise(() => undefined), on: () => undefined, off: () => undefined };
  return { sendCommand: () => new Promise<never>(() => undefined), duplicate: () => subscriber };
}

function make(options: Partial<RedisProfileStoreOptions>): RedisProfileStore {
  return new RedisProfileStore({ client: fakeClient(), ...options } as RedisProfileStoreOptions);
}

describe('RedisProfileStore options', () => {
  const made: RedisProfileStore[] = [];
  afterEach(async () => {
    for (const store of made.splice(0)) await store.close();
  });

  it('should construct with only a client, connecting', () => {
    const store = make({});
    made.push(store);
    expect(store.status()).to.equal('connecting');
  });

  it('should refuse a missing or unusable client, naming the option', () => {
    expect(() => new RedisProfileStore(undefined as unknown as RedisProfileStoreOptions)).to.throw(TypeError, 'options object');
    expect(() => make({ client: undefined })).to.throw(TypeError, 'Option "client"');
    expect(() => make({ client: {} as never })).to.throw(TypeError, 'Option "client"');
    expect(() => make({ client: 'redis://localhost' as never })).to.throw(TypeError, 'Option "client"');
  });

  it('should need a subscriber when the client cannot duplicate itself', () => {
    expect(() => make({ client: { sendCommand: async () => null } })).to.throw(TypeError, 'Option "subscriber"');
    expect(() => make({ subscriber: {} as never })).to.throw(TypeError, 'Option "subscriber"');
    expect(() => make({ client: { sendCommand: async () => null, duplicate: () => ({}) } })).to.throw(TypeError, 'Option "subscriber"');
  });

  it('should refuse key prefixes that would break hash tags or SCAN patterns', () => {
    for (const keyPrefix of ['a{', 'a}', 'a*', 'a?', 'a[', 'a\\']) expect(() => make({ keyPrefix }), keyPrefix).to.throw(TypeError, 'keyPrefix');
    expect(() => make({ keyPrefix: '' })).to.throw(TypeError, 'keyPrefix');
  });

  it('should refuse out-of-range numbers and wrong types, naming the option', () => {
    expect(() => make({ operationTimeoutMs: 0 })).to.throw(RangeError, 'operationTimeoutMs');
    expect(() => make({ operationTimeoutMs: 1.5 })).to.throw(TypeError, 'operationTimeoutMs');
    expect(() => make({ leaseMs: 5 })).to.throw(RangeError, 'leaseMs');
    expect(() => make({ reclaimAfterMs: -1 })).to.throw(RangeError, 'reclaimAfterMs');
    expect(() => make({ retryIntervalMs: 1 })).to.throw(RangeError, 'retryIntervalMs');
    expect(() => make({ storePictures: 'no' as never })).to.throw(TypeError, 'storePictures');
    expect(() => make({ channel: 42 as never })).to.throw(TypeError, 'channel');
    expect(() => make({ now: 5 as never })).to.throw(TypeError, 'now');
  });

  it('should be degraded, not connecting, when Redis never answers', async function () {
    this.timeout(5_000);
    const store = make({});
    made.push(store);
    expect(await store.ready()).to.equal('degraded');
    const answers = await timed(async () => [await store.get(undefined, '1'), await store.received('d', 1_000)]);
    expect(answers.value).to.deep.equal([undefined, 'unknown']);
    expectFinishedWithin(answers, 20, 'a degraded store answers at once:');
  });

  it('should be closed after close() and answer local-only', async () => {
    const store = make({});
    await store.close();
    expect(store.status()).to.equal('closed');
    expect((await store.tryLease(undefined, '1')).kind).to.equal('unavailable');
    expect(await store.ready()).to.equal('closed');
  });
});
