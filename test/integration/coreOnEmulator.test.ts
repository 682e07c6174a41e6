import { expect } from 'chai';
import { inspect } from 'node:util';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { GraphProfileClient, InstagramProfileMiddleware, ProfileCache, type ProfileLookup } from '../../src/index.js';
import { startReceiver } from '../emulator/receiver.js';

/** The core over a real HTTP round trip, where the transport matters. */
describe('the core on the emulator', () => {
  let emulator: Emulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeEach(async () => {
    receiver = await startReceiver();
    emulator = await startEmulator({ webhookUrl: receiver.url });
  });

  afterEach(async () => {
    await emulator.close();
    await receiver.close();
  });

  const client = (options: Partial<ConstructorParameters<typeof GraphProfileClient>[0]> = {}) =>
    new GraphProfileClient({ accessToken: emulator.accessToken, appSecret: emulator.appSecret, graphUrl: emulator.url, retryDelay: 1, ...options });

  function middleware(options: Partial<ConstructorParameters<typeof InstagramProfileMiddleware>[0]> = {}) {
    return new InstagramProfileMiddleware({ accessToken: emulator.accessToken, appSecret: emulator.appSecret, graphUrl: emulator.url, retryDelay: 1, ...options });
  }

  /** A turn context for a message from `igsid`, as InstagramAdapter makes it. */
  const turnFrom = (igsid: string) => ({
    activity: { type: 'message', channelId: 'instagram', channelData: { sender: { id: igsid }, recipient: { id: emulator.businessId }, message: { mid: `m-${Math.random()}`, text: 'hi' } } },
    turnState: new Map(),
  });

  it('should read a consenting persona with appsecret_proof, on both hosts', async () => {
    const ada = emulator.persona('follower');
    await ada.sends('hi');
    for (const graphUrl of [emulator.url, emulator.instagramGraphUrl]) {
      const profile = await client({ graphUrl }).fetchProfile(ada.igsid, { businessId: emulator.businessId });
      expect(profile).to.deep.include({ id: ada.igsid, name: 'Ada Lovelace', username: 'ada.codes', followerCount: 1_204, isUserFollowBusiness: true, isBusinessFollowUser: false });
    }
  });

  it('should coalesce 100 concurrent turns from one sender into one Graph call', async () => {
    const ada = emulator.persona('follower');
    await ada.sends('hi');
    emulator.stats.reset();
    emulator.faults.inject({ kind: 'latency', latencyMs: 20 });
    const mw = middleware();
    const lookups = await Promise.all(Array.from({ length: 100 }, () => mw.load(turnFrom(ada.igsid))));
    expect(lookups.every((l) => l.status === 'ok')).to.equal(true);
    expect(emulator.stats.profileCalls(ada.igsid)).to.equal(1);
  });

  it('should say no-consent for the commenter and never cache it past a message', async () => {
    const carl = emulator.persona('commenter');
    const mw = middleware();
    expect((await mw.load(turnFrom(carl.igsid))).status).to.equal('no-consent');
    await carl.sends('hello at last');
    expect(await mw.load(turnFrom(carl.igsid))).to.deep.include({ status: 'ok', source: 'graph' });
  });

  it('should say not-found for the blocked persona', async () => {
    const lookup = await middleware().load(turnFrom(emulator.persona('blocked').igsid));
    expect(lookup.status).to.equal('not-found');
  });

  it('should retry transient failures and succeed within the deadline', async () => {
    const ada = emulator.persona('follower');
    await ada.sends('hi');
    emulator.stats.reset();
    emulator.faults.inject({ kind: 'transient', times: 1 });
    emulator.faults.inject({ kind: 'reset', times: 1 });
    const profile = await client({ retries: 2 }).fetchProfile(ada.igsid, { businessId: emulator.businessId });
    expect(profile.name).to.equal('Ada Lovelace');
    expect(emulator.stats.profileCalls(ada.igsid)).to.equal(3);
  });

  it('should time out a hanging Graph within `timeout`, retries included', async () => {
    const ada = emulator.persona('follower');
    await ada.sends('hi');
    emulator.faults.inject({ kind: 'hang' });
    const started = performance.now();
    const error = await client({ timeout: 150, retries: 3 })
      .fetchProfile(ada.igsid)
      .then(() => undefined, (e: unknown) => e);
    expect(error).to.include({ code: 'GRAPH_TIMEOUT' });
    expect(performance.now() - started).to.be.below(1_000);
  });

  for (const kind of ['html', 'truncated', 'error-body-200', 'wrong-types'] as const) {
    it(`should turn a ${kind} reply into GRAPH_BAD_RESPONSE and cache nothing`, async () => {
      const ada = emulator.persona('follower');
      await ada.sends('hi');
      emulator.faults.inject({ kind, times: 3 });
      const cache = new ProfileCache();
      const mw = middleware({ cache, retries: 0 });
      const lookup = await mw.load(turnFrom(ada.igsid));
      expect(lookup.status).to.equal('unavailable');
      expect(lookup.status !== 'ok' && lookup.error?.code).to.equal('GRAPH_BAD_RESPONSE');
      expect(cache.peek(emulator.businessId, ada.igsid)).to.equal(undefined);
    });
  }

  it('should stop calling a throttled business until access returns, answering at once', async () => {
    const ada = emulator.persona('follower');
    await ada.sends('hi');
    emulator.rateLimit.set({ throttled: true, code: 80002, regainAccessMinutes: 2 });
    const graph = client({ retries: 0 });
    const first = await graph.fetchProfile(ada.igsid, { businessId: emulator.businessId }).catch((e: unknown) => e);
    expect(first).to.include({ code: 'RATE_LIMITED', graphCode: 80002, retryAfterMs: 120_000 });
    const callsAfterThrottle = emulator.stats.profileCalls();
    const again = await graph.fetchProfile(ada.igsid, { businessId: emulator.businessId }).catch((e: unknown) => e);
    expect(again).to.include({ code: 'RATE_LIMITED' });
    expect(emulator.stats.profileCalls()).to.equal(callsAfterThrottle);
    expect(graph.usage(emulator.businessId)?.business[0]?.estimatedTimeToRegainAccessMinutes).to.equal(2);
  });

  it('should serve a stale profile while Graph is down, when stale-while-revalidate allows', async () => {
    let now = Date.now();
    const ada = emulator.persona('follower');
    await ada.sends('hi');
    const mw = middleware({ cache: new ProfileCache({ ttl: 1_000, staleWhileRevalidate: 60_000, now: () => now }), retries: 0 });
    expect((await mw.load(turnFrom(ada.igsid))).status).to.equal('ok');
    now += 2_000;
    emulator.faults.inject({ kind: 'status', status: 503 });
    const stale: ProfileLookup = await mw.load(turnFrom(ada.igsid));
    expect(stale).to.deep.include({ status: 'ok', source: 'stale' });
  });

  it('should keep the token and secret out of every error it produces', async () => {
    await emulator.close();
    emulator = await startEmulator({ accessToken: 'EAAG-very-secret-token', appSecret: 'very-secret-app-secret', requireProof: true });
    const errors: unknown[] = [];
    const bad = new GraphProfileClient({ accessToken: 'EAAG-very-secret-token', appSecret: 'wrong-secret-but-secret', graphUrl: emulator.url, retries: 0 });
    errors.push(await bad.fetchProfile('6938000000000101').catch((e: unknown) => e));
    emulator.faults.inject({ kind: 'reset' });
    errors.push(await client({ accessToken: 'EAAG-very-secret-token', appSecret: 'very-secret-app-secret', retries: 0 }).fetchProfile('6938000000000101').catch((e: unknown) => e));
    for (const error of errors) {
      const printed = inspect(error, { depth: 10, showHidden: true });
      expect(printed).to.match(/Error/);
      for (const secret of ['EAAG-very-secret-token', 'very-secret-app-secret', 'wrong-secret-but-secret']) expect(printed).not.to.include(secret);
    }
  });
});
