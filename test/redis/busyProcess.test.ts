import { expect } from 'chai';
import type { InstagramProfile } from '../../src/types.js';
import { redisServerForSuite } from '../support/redisServer.js';
import { ioredis, storeFactory } from './clients.js';
import { expectFinishedWithin, timed } from '../support/timing.js';

const BUSINESS = '17841400000000001';
const IGSID = '6000000000000001';
const profile: InstagramProfile = { id: IGSID, name: 'Ada Lovelace', profilePic: null };

/** Blocks this process's event loop, as a long synchronous task or a starved CPU would. */
function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

/**
 * Several bots on a small machine: a process may be busy past a command's deadline while
 * Redis answered in time. That is not Redis being slow: the reply is read before judging.
 */
describe('RedisProfileStore in a busy process', function () {
  this.timeout(10_000);
  const server = redisServerForSuite();
  const stores = storeFactory(ioredis, server);
  afterEach(() => stores.closeAll());

  it('should read a reply that came in time while this process was busy past the deadline, and stay ready', async () => {
    const store = await stores.make({ operationTimeoutMs: 50 });
    expect(await store.set(BUSINESS, IGSID, { kind: 'profile', profile }, 60_000)).to.equal(true);
    const reading = store.get(BUSINESS, IGSID);
    busyFor(200);
    expect((await reading)?.kind).to.equal('profile');
    expect(store.status()).to.equal('ready');
  });

  it('should still give up on a Redis that does not answer, however busy this process was', async () => {
    const store = await stores.make({ operationTimeoutMs: 50 });
    await server().command('CLIENT', 'PAUSE', 1_000, 'ALL');
    const reading = store.get(BUSINESS, IGSID);
    busyFor(200);
    const answer = await timed(() => reading);
    expect(answer.value).to.equal(undefined);
    expectFinishedWithin(answer, 100, 'given up once the process is free:');
    expect(store.status()).to.equal('degraded');
    await server().command('CLIENT', 'UNPAUSE');
  });
});
