// Every row of `npm run bench`: the groups of variants measured in fresh processes, alternated
// over pairs, and the rows (ratios or differences, each with its target) computed per pair.
// Adding a row: a variant in bench/variants/, and a few lines here.
import type { GroupSpec, RowSpec, Target } from './method/types.js';

const atLeast = (limit: number): Target => ({ compare: 'ratio', better: 'higher', limit, text: `≥ ${limit}` });
const atMost = (limit: number, text = `≤ ${limit}×`): Target => ({ compare: 'ratio', better: 'lower', limit, text });
const withinMs = (limit: number): Target => ({ compare: 'difference', better: 'lower', limit, text: `≤ floor + ${limit} ms` });

const BOTKIT = "Botkit's botbuilder-adapter-facebook 1.0.12";

function webhookRows(variant: 'instagram' | 'agents', adapter: string, target: Target): RowSpec[] {
  return [1, 10, 50].map((size) => ({
    id: `webhook-${variant}-batch-${size}`,
    title: `Webhook events per CPU-second, ${adapter}, batches of ${size}`,
    unit: 'events/CPU-s',
    ours: [variant, `batch${size}`],
    baseline: ['botkit', `batch${size}`],
    baselineName: BOTKIT,
    target,
    meaning: `Signed deliveries of ${size} text message(s) each through ${adapter}.process (constant-time SHA-256 check, parsing, activity mapping, de-duplication, per-customer ordered turns with a time limit, answering before the turns) vs Botkit's Facebook adapter on the same payloads (SHA-1, its JSON parse included); every event must run a turn in both.`,
  }));
}

export const GROUPS: GroupSpec[] = [
  {
    id: 'hot-path',
    title: 'hot path',
    module: 'variants/hotPath.ts',
    variants: [{ name: 'ours' }, { name: 'noop' }, { name: 'none' }],
    estimate: { full: 4, quick: 2.7, tiny: 2 },
    rows: [
      {
        id: 'hot-path-vs-noop',
        title: 'Hot path, handler never asks: turns per CPU-second vs a no-op middleware',
        unit: 'turns/CPU-s',
        ours: ['ours', 'turnsPerSecond'],
        baseline: ['noop', 'turnsPerSecond'],
        baselineName: 'the same pipeline with a no-op middleware (botbuilder’s own per-middleware price)',
        target: atLeast(0.98),
        meaning: 'Turns through a botbuilder pipeline whose handler never asks for the profile, with our middleware vs `{ onTurn: (c, next) => next() }`.',
      },
      {
        id: 'hot-path-vs-none',
        title: 'Hot path, handler never asks: turns per CPU-second vs no middleware',
        unit: 'turns/CPU-s',
        ours: ['ours', 'turnsPerSecond'],
        baseline: ['none', 'turnsPerSecond'],
        baselineName: 'the same pipeline with no middleware',
        meaning: 'The same, against a pipeline with no middleware at all: what any middleware costs in botbuilder, ours included. Reported, no target.',
      },
    ],
  },
  {
    id: 'hot-path-otel',
    title: 'hot path with @opentelemetry/api',
    module: 'variants/hotPath.ts',
    variants: [
      { name: 'ours-otel', requires: 'telemetry' },
      { name: 'noop-otel', requires: 'telemetry' },
    ],
    estimate: { full: 4, quick: 2.5, tiny: 2 },
    rows: [
      {
        id: 'hot-path-otel-vs-noop',
        title: 'Hot path with @opentelemetry/api loaded, no SDK: turns per CPU-second vs a no-op middleware',
        unit: 'turns/CPU-s',
        ours: ['ours-otel', 'turnsPerSecond'],
        baseline: ['noop-otel', 'turnsPerSecond'],
        baselineName: 'the same with a no-op middleware',
        target: atLeast(0.98),
        meaning: 'The hot path in a process that has loaded `@opentelemetry/api` and registered no SDK (no MeterProvider, no TracerProvider): what the metrics hooks cost a bot that does not export them.',
      },
    ],
  },
  {
    id: 'warm-lookup',
    title: 'warm lookup',
    module: 'variants/warmLookup.ts',
    variants: [{ name: 'ours' }, { name: 'floor' }],
    estimate: { full: 4, quick: 2.5, tiny: 1.5 },
    rows: [
      {
        id: 'warm-lookup',
        title: 'Warm lookup, first ask of a turn: CPU-ns vs `await lru.get(key)`',
        unit: 'CPU-ns/lookup',
        ours: ['ours', 'nsPerLookup'],
        baseline: ['floor', 'nsPerLookup'],
        baselineName: 'await lruCache.get(key) on the same data',
        target: atMost(2),
        meaning: 'The first `await getInstagramProfile(context)` of a turn on a cached profile, over a pool of 1 000 live turns renewed between batches, vs `await lru.get(key)` on one hot key.',
      },
    ],
  },
  {
    id: 'webhook',
    title: 'webhook adapters',
    module: 'variants/webhook.ts',
    variants: [{ name: 'instagram' }, { name: 'agents', requires: 'agents' }, { name: 'botkit' }],
    estimate: { full: 11, quick: 5, tiny: 3 },
    rows: [...webhookRows('instagram', 'InstagramAdapter (botbuilder)', atLeast(1.2)), ...webhookRows('agents', 'InstagramAgentsAdapter (Agents SDK)', atLeast(1.0))],
  },
  {
    id: 'agents-activity',
    title: 'Agents SDK activities',
    module: 'variants/agentsActivity.ts',
    variants: [
      { name: 'assign', requires: 'agents' },
      { name: 'fromObject', requires: 'agents' },
    ],
    estimate: { full: 3, quick: 2, tiny: 1.5 },
    rows: [
      {
        id: 'agents-activity-vs-from-object',
        title: 'Agents SDK `Activity` per webhook event: CPU-ns vs `Activity.fromObject`',
        unit: 'CPU-ns/event',
        ours: ['assign', 'nsPerEvent'],
        baseline: ['fromObject', 'nsPerEvent'],
        baselineName: '`Activity.fromObject` of the same activity (the SDK’s schema parse)',
        meaning: 'How InstagramAgentsAdapter turns the webhook core’s activity into the SDK’s own `Activity` (`Object.assign(new Activity(type), inbound)`), vs `Activity.fromObject`, whose zod parse re-checks what the core built well formed; both give a real `Activity` with its methods and `channelId` accessor. Reported, no target: why the adapter does not call `fromObject`.',
      },
    ],
  },
  {
    id: 'end-to-end',
    title: 'end to end',
    module: 'variants/endToEnd.ts',
    server: { latencyMs: 0 },
    variants: [{ name: 'ours' }, { name: 'bare' }, { name: 'today' }],
    estimate: { full: 9, quick: 5.5, tiny: 2.5 },
    rows: [
      {
        id: 'e2e-vs-bare',
        title: 'End to end, CPU per event vs the same bot without the middleware',
        unit: 'CPU-µs/event',
        ours: ['ours', 'cpuMicrosPerEvent'],
        baseline: ['bare', 'cpuMicrosPerEvent'],
        baselineName: 'the same InstagramAdapter bot without the middleware (it cannot greet by name)',
        target: atMost(1.05),
        meaning: 'Signed webhooks posted over HTTP on loopback by another process → InstagramAdapter → middleware → cached profile → personalised reply through the Send API (loopback); CPU of the bot process per event, 200 returning customers, 8 deliveries in flight.',
      },
      {
        id: 'e2e-vs-today',
        title: 'End to end, CPU per event vs what users write today',
        unit: 'CPU-µs/event',
        ours: ['ours', 'cpuMicrosPerEvent'],
        baseline: ['today', 'cpuMicrosPerEvent'],
        baselineName: "Botkit's Facebook adapter + a fetch of the profile on every message",
        target: atMost(1 / 3, '≤ 1/3 (3× fewer CPU-µs)'),
        meaning: "The same traffic through Botkit's Facebook adapter with a handler that `fetch`es the profile from the Graph API on every message and replies through the adapter (its `request`-based Send API client, over http here like ours).",
      },
      {
        id: 'e2e-graph-calls',
        title: 'End to end, Graph profile calls per event vs what users write today',
        unit: 'calls/event',
        ours: ['ours', 'graphCallsPerEvent'],
        baseline: ['today', 'graphCallsPerEvent'],
        baselineName: 'a fetch of the profile on every message',
        meaning: 'Profile reads the platform counted during the measured events (after the warm-up saw every customer). Reported, no target.',
      },
    ],
  },
  {
    id: 'first-reply',
    title: 'first reply to a new customer',
    module: 'variants/firstReply.ts',
    server: { latencyMs: 150 },
    variants: [{ name: 'ours' }, { name: 'floor' }],
    estimate: { full: 12, quick: 7, tiny: 3.5 },
    rows: [
      {
        id: 'first-reply-p50',
        title: 'First reply to a new customer, p50, 150 ms Graph latency, 300 events/s',
        unit: 'ms',
        ours: ['ours', 'p50Ms'],
        baseline: ['floor', 'p50Ms'],
        baselineName: 'the floor: one profile read + one Send API call, nothing else',
        target: withinMs(5),
        meaning: 'Every event from a customer never seen, 300 per second, each Graph call (profile and Send API) answered after 150 ms; from the webhook post to the Send API’s answer to the reply, timed by the platform process. Difference in ms from the floor bot measured in the same pair.',
      },
      {
        id: 'first-reply-p99',
        title: 'First reply to a new customer, p99, 150 ms Graph latency, 300 events/s',
        unit: 'ms',
        ours: ['ours', 'p99Ms'],
        baseline: ['floor', 'p99Ms'],
        baselineName: 'the floor: one profile read + one Send API call, nothing else',
        target: withinMs(40),
        meaning: 'The same, 99th percentile.',
      },
    ],
  },
  {
    id: 'client-cost',
    title: 'Graph client CPU',
    module: 'variants/clientCost.ts',
    server: { latencyMs: 0 },
    variants: [{ name: 'ours' }, { name: 'undici' }],
    estimate: { full: 8, quick: 4.5, tiny: 2 },
    rows: [
      {
        id: 'client-cpu-vs-undici',
        title: 'Client CPU per Graph call vs a bare undici request() loop',
        unit: 'CPU-µs/call',
        ours: ['ours', 'cpuMicrosPerCall'],
        baseline: ['undici', 'cpuMicrosPerCall'],
        baselineName: 'a bare undici dispatcher.request({ origin, path }) + body.json() loop on the same dispatcher',
        target: atMost(1.15),
        meaning: '`GraphProfileClient.fetchProfile` with its defaults (IGSID check, whole-call deadline, usage headers, bounded body read, reply validation, typed errors, metrics hooks) at 64 in flight over 10 000 IGSIDs, CPU of the calling process.',
      },
    ],
  },
  {
    id: 'memory',
    title: 'memory',
    module: 'variants/memory.ts',
    nodeArgs: ['--expose-gc'],
    variants: [{ name: 'ours' }, { name: 'map' }],
    estimate: { full: 4.5, quick: 3.2, tiny: 1.5 },
    rows: [
      {
        id: 'memory-per-entry',
        title: 'Heap per cached profile at 100 000 entries vs a plain Map',
        unit: 'bytes/entry',
        ours: ['ours', 'bytesPerEntry'],
        baseline: ['map', 'bytesPerEntry'],
        baselineName: 'the same profiles in a plain Map',
        target: atMost(1.2),
        meaning: 'Heap after GC per profile held by `ProfileCache` (with everything it keeps per entry), realistic ≈ 230-byte picture URLs, vs the same profile objects in a `Map` keyed the same way.',
      },
      {
        id: 'memory-flat',
        title: 'Heap after many senders through max 10 000 vs once the cache is full',
        unit: 'MiB',
        ours: ['ours', 'heapEndMiB'],
        baseline: ['ours', 'heapFullMiB'],
        baselineName: 'heap when the cache first filled',
        target: atMost(1.1),
        meaning: '1 000 000 (full) / 200 000 (quick) distinct senders through a cache of `max: 10 000`: the heap stays flat.',
      },
    ],
  },
  {
    id: 'graph-calls',
    title: 'Graph calls, realistic traffic',
    module: 'variants/callCount.ts',
    variants: [{ name: 'ours' }],
    estimate: { full: 3, quick: 1.5, tiny: 1.5 },
    rows: [
      {
        id: 'graph-calls-1-instance',
        title: 'Graph calls for realistic traffic, 1 instance, vs distinct senders',
        unit: 'calls',
        ours: ['ours', 'calls'],
        baseline: ['ours', 'distinct'],
        baselineName: 'the number of distinct senders (the minimum)',
        target: { compare: 'ratio', better: 'equal', limit: 1, text: '= 1 (one call per sender)' },
        meaning: '100 000 (full) / 20 000 (quick) turns from a Zipf(1.1) population of 10 000 senders in waves of 64 concurrent turns, 2 % of picks a sender’s album of 10 simultaneous deliveries, within one cache lifetime.',
      },
      {
        id: 'graph-calls-vs-map',
        title: 'Graph calls for realistic traffic vs a Map without in-flight sharing',
        unit: 'calls',
        ours: ['ours', 'calls'],
        baseline: ['ours', 'naiveCalls'],
        baselineName: 'an unbounded Map, a call on every miss (Meta’s sample app)',
        meaning: 'The same traffic through a look-in-a-Map-else-call cache: every burst of one sender calls once per delivery. Reported, no target.',
      },
    ],
  },
];

/** The shared tier's groups: `bench/redis.ts` measures them against a private redis-server and writes bench/redis-results.json. */
export const REDIS_GROUPS: GroupSpec[] = [
  {
    id: 'redis-calls',
    title: 'Graph calls, 3 instances',
    module: 'multiInstanceVariants.ts',
    variants: [{ name: 'shared' }, { name: 'local' }],
    estimate: { full: 25, quick: 15, tiny: 10 },
    rows: [
      {
        id: 'graph-calls-3-instances',
        title: 'Graph calls for realistic traffic, 3 instances with the shared tier, vs distinct senders',
        unit: 'calls',
        ours: ['shared', 'calls'],
        baseline: ['shared', 'distinct'],
        baselineName: 'the number of distinct senders (the minimum)',
        target: { compare: 'ratio', better: 'equal', limit: 1, text: '= 1 (one call per sender)' },
        meaning: 'Three greeter processes behind a round-robin proxy sharing the Redis tier, 10 messages per sender, the first three back to back (one lands on each instance).',
      },
      {
        id: 'graph-calls-3-instances-vs-local',
        title: 'Graph calls, 3 instances: with the shared tier vs without it',
        unit: 'calls',
        ours: ['shared', 'calls'],
        baseline: ['local', 'calls'],
        baselineName: '3 instances, each with its own cache',
        meaning: 'The same traffic through three processes without the tier: each instance that a sender reaches loads them again (≈ 1/3 expected). Reported, no target.',
      },
    ],
  },
  {
    id: 'redis-l2',
    title: 'Second-level hit vs bare GET',
    module: 'redisVariants.ts',
    variants: [{ name: 'l2Hit' }, { name: 'bareGet' }],
    estimate: { full: 8, quick: 5, tiny: 3 },
    rows: [
      {
        id: 'redis-l2-hit-latency',
        title: 'Second-level hit latency (p50) vs a bare GET on the same Redis',
        unit: 'µs',
        ours: ['l2Hit', 'p50Us'],
        baseline: ['bareGet', 'p50Us'],
        baselineName: 'ioredis GET of the same JSON, loopback',
        meaning: 'A local miss answered from Redis (decode, checks, local fill) against the round trip alone.',
      },
      {
        id: 'redis-l2-hit-cpu',
        title: 'Second-level hit CPU per lookup vs a bare GET',
        unit: 'µs CPU',
        ours: ['l2Hit', 'cpuUsPerOp'],
        baseline: ['bareGet', 'cpuUsPerOp'],
        baselineName: 'ioredis GET of the same JSON',
        meaning: 'Client-side CPU of one second-level hit against one GET.',
      },
    ],
  },
  {
    id: 'redis-turn',
    title: 'Added latency per turn',
    module: 'redisVariants.ts',
    variants: [{ name: 'turnShared' }, { name: 'turnLocal' }],
    estimate: { full: 10, quick: 6, tiny: 3 },
    rows: [
      {
        id: 'redis-turn-p50',
        title: 'Latency added per turn by the shared tier, p50 (Redis on loopback)',
        unit: 'ms',
        ours: ['turnShared', 'p50Ms'],
        baseline: ['turnLocal', 'p50Ms'],
        baselineName: 'the same turn without the tier',
        target: { compare: 'difference', better: 'lower', limit: 1, text: '≤ +1 ms' },
        meaning: 'process() to the handler holding the profile, one turn at a time; 10 turns per sender (first lookups included), with shared de-duplication.',
      },
      {
        id: 'redis-turn-p99',
        title: 'Latency added per turn by the shared tier, p99 (Redis on loopback)',
        unit: 'ms',
        ours: ['turnShared', 'p99Ms'],
        baseline: ['turnLocal', 'p99Ms'],
        baselineName: 'the same turn without the tier',
        target: { compare: 'difference', better: 'lower', limit: 5, text: '≤ +5 ms' },
        meaning: 'As above, the 99th percentile.',
      },
    ],
  },
];

/** Rows of bench/redis.ts that `npm run bench` shows too, read from bench/redis-results.json when present. */
export const EXTERNAL_ROWS: RowSpec[] = REDIS_GROUPS.flatMap((group) => group.rows).filter((row) => row.id === 'graph-calls-3-instances');
