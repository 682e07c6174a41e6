import { expect } from 'chai';
import { MockAgent } from 'undici';
import { GraphProfileClient } from '../../src/graph/client.js';
import { ProfileCache } from '../../src/cache/profileCache.js';
import type { UsageSnapshot } from '../../src/graph/rateLimitGate.js';
import { ATTR, METRIC } from '../../src/telemetry/names.js';
import { observeCache, observeGraphClient } from '../../src/telemetry/observe.js';
import type { CircuitState } from '../../src/telemetry/registry.js';
import { FB, TOKEN, adaReply, failure, graphError } from '../graph/graphMock.js';
import { installSdk, sumWhere, type TestSdk } from './sdk.js';

// Ids no other suite uses: real clients of other tests in this process report their usage too.
const BUSINESS = '17841400000000931';
const OTHER_BUSINESS = '17841400000000932';

function snapshot(at: number, app: UsageSnapshot['app'], business: UsageSnapshot['business'] = []): UsageSnapshot {
  return { app, business, peak: 0, at };
}

const buc = (businessId: string, callCount: number) => ({ businessId, type: 'instagram', callCount, totalTime: 2, totalCpuTime: 3, estimatedTimeToRegainAccessMinutes: 0 });

describe('telemetry gauges', () => {
  let sdk: TestSdk;

  beforeEach(async () => {
    sdk = await installSdk();
  });

  afterEach(() => sdk.uninstall());

  it('should report the entries and loads in flight of every observed cache, summed', async () => {
    const caches = [
      { size: 3, loading: 1 },
      { size: 4, loading: 2 },
    ];
    const before = await sdk.collect();
    for (const cache of caches) observeCache(cache);
    const after = await sdk.collect();
    const entries = (name: typeof before) => sumWhere(name.get(METRIC.cacheEntries)?.points ?? [], {});
    const loads = (name: typeof before) => sumWhere(name.get(METRIC.cacheLoads)?.points ?? [], {});
    expect(entries(after) - entries(before)).to.equal(7);
    expect(loads(after) - loads(before)).to.equal(3);
    caches[0]!.size = 10;
    expect(entries(await sdk.collect()) - entries(before)).to.equal(14);
  });

  it('should report the newest app usage, and business usage per business account and metric', async () => {
    const usage = new Map<string, UsageSnapshot>([
      [BUSINESS, snapshot(Date.now() + 60_000, { callCount: 10, totalTime: 11, totalCpuTime: 12 }, [buc(BUSINESS, 40)])],
      ['*', snapshot(Date.now() + 120_000, { callCount: 20, totalTime: 21, totalCpuTime: 22 }, [buc(OTHER_BUSINESS, 85)])],
    ]);
    // Dated ahead of the real clients other tests of this process made, which report too.
    observeGraphClient({ usageEntries: () => usage.entries() });
    try {
      const app = await sdk.points(METRIC.appUsage);
      expect(sumWhere(app, { [ATTR.usageMetric]: 'call_count' })).to.equal(20);
      expect(sumWhere(app, { [ATTR.usageMetric]: 'total_cputime' })).to.equal(22);
      const business = await sdk.points(METRIC.businessUsage);
      expect(sumWhere(business, { [ATTR.businessId]: BUSINESS, [ATTR.usageType]: 'instagram', [ATTR.usageMetric]: 'call_count' })).to.equal(40);
      expect(sumWhere(business, { [ATTR.businessId]: OTHER_BUSINESS, [ATTR.usageMetric]: 'call_count' })).to.equal(85);
      expect(sumWhere(business, { [ATTR.businessId]: OTHER_BUSINESS, [ATTR.usageMetric]: 'total_time' })).to.equal(2);
    } finally {
      usage.clear(); // the source stays registered until collected: leave it empty for the next tests
    }
  });

  it('should report each circuit as 0 closed, 1 half-open, 2 open, and closed again once it leaves the breaker', async () => {
    const states = new Map<string, CircuitState>([
      [BUSINESS, 'open'],
      [OTHER_BUSINESS, 'half-open'],
      ['*', 'closed'],
    ]);
    const breaker = { states: () => states.entries() };
    observeGraphClient({ usageEntries: () => [] }, breaker);
    const open = await sdk.points(METRIC.circuitState);
    expect(sumWhere(open, { [ATTR.businessId]: BUSINESS })).to.equal(2);
    expect(sumWhere(open, { [ATTR.businessId]: OTHER_BUSINESS })).to.equal(1);
    expect(open.find((point) => Object.keys(point.attributes).length === 0)?.value).to.equal(0);
    states.delete(BUSINESS);
    expect(sumWhere(await sdk.points(METRIC.circuitState), { [ATTR.businessId]: BUSINESS })).to.equal(0);
    expect(breaker).to.exist;
  });

  it('should skip a source that throws, and still report the others', async () => {
    const entries = async () => sumWhere((await sdk.collect()).get(METRIC.cacheEntries)?.points ?? [], {});
    const before = await entries();
    const broken = {
      get size(): number {
        throw new Error('broken');
      },
    };
    const cache = { size: 5 };
    observeCache(broken);
    observeCache(cache);
    expect((await entries()) - before).to.equal(5);
    expect([broken, cache]).to.have.length(2);
  });

  describe('on the real cache and client', () => {
    it('should report a ProfileCache: entries it holds and loads in flight', async () => {
      const cache = new ProfileCache();
      cache.set(BUSINESS, { id: '1001', name: 'Ada', profilePic: null });
      let finish!: () => void;
      const pending = cache.lookup(BUSINESS, '1002', () => new Promise((_resolve, reject) => (finish = () => reject(new Error('gone')))));
      const points = await sdk.collect();
      expect(sumWhere(points.get(METRIC.cacheEntries)!.points, {})).to.be.at.least(1);
      expect(sumWhere(points.get(METRIC.cacheLoads)!.points, {})).to.be.at.least(1);
      finish();
      await pending;
      expect(cache.size).to.equal(1);
    });

    it('should report the usage headers and the open circuit of a GraphProfileClient', async () => {
      const agent = new MockAgent();
      agent.disableNetConnect();
      const headers = {
        'content-type': 'application/json',
        'x-app-usage': JSON.stringify({ call_count: 31, total_time: 5, total_cputime: 4 }),
        'x-business-use-case-usage': JSON.stringify({ [BUSINESS]: [{ type: 'instagram', call_count: 64, total_time: 9, total_cputime: 8, estimated_time_to_regain_access: 0 }] }),
      };
      agent.get(FB).intercept({ path: () => true, method: 'GET' }).reply(200, adaReply, { headers });
      agent.get(FB).intercept({ path: () => true, method: 'GET' }).reply(500, graphError(2, { is_transient: true }), { headers: { 'content-type': 'application/json' } });
      const client = new GraphProfileClient({ accessToken: TOKEN, dispatcher: agent, retries: 0, circuitBreaker: { threshold: 1, cooldown: 60_000 } });
      await client.fetchProfile('1001', { businessId: BUSINESS });
      await failure(client.fetchProfile('1001', { businessId: BUSINESS }));
      const collected = await sdk.collect();
      expect(sumWhere(collected.get(METRIC.appUsage)!.points, { [ATTR.usageMetric]: 'call_count' })).to.equal(31);
      expect(sumWhere(collected.get(METRIC.businessUsage)!.points, { [ATTR.businessId]: BUSINESS, [ATTR.usageMetric]: 'call_count' })).to.equal(64);
      expect(sumWhere(collected.get(METRIC.circuitState)!.points, { [ATTR.businessId]: BUSINESS })).to.equal(2);
      await agent.close();
    });
  });
});
