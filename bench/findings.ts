// What the rest of the cost is, per row that misses its target: from `node --cpu-prof` profiles
// of the built package (BENCH_CPU_PROF=/tmp/prof node --import tsx bench/run.ts --quick --pairs=1
// --only=<group>, then bench/method/topFunctions.ts on each process's largest profile).
// bench/report.ts prints the entry of each row that misses. Shares are of the variant process's
// busy CPU time (idle and module loading left out) unless said otherwise. Profiled 2026-11-25.
const HOT_PATH =
  'our `onTurn` is 1 % of the busy time of the process; the rest is botbuilder’s pipeline (`BotAdapter.runMiddleware` and its closures, 29 %), the garbage collector (30 %) and Node’s promise machinery — the same in the no-op process (botbuilder 28 %, GC 29 %). The gap is within the spread of this machine (pairs from 0.5 to 1.3 under load average 7–10): no cost of ours stands out to remove.';

export const FINDINGS: Record<string, string> = {
  'hot-path-vs-noop': HOT_PATH,
  'hot-path-otel-vs-noop': HOT_PATH,
  'warm-lookup':
    'the package is 28 % of the busy time and lru-cache 9 %. Top self time: lru-cache’s `getRemainingTTL` (3.8 % of the whole profile: the freshness check reads the remaining TTL on every hit), `readMessagingItem` (2.7 %: the handle re-reads sender and business from the activity on the first ask), `turnHandle.profile` (2.6 %), `ProfileCache.#cached` (2.0 %) and `#read` (1.0 %), `entryRefOf` (0.9 %), `onTurn` (0.9 %), the recogniser’s `assign` (0.8 %). The floor is one hash lookup on one hot key: below 2× needs the key and the freshness decided once per turn in `onTurn`, without reading the item again and without asking lru-cache for the TTL.',
  ...Object.fromEntries(
    [1, 10, 50].flatMap((size) => [
      [
        `webhook-instagram-batch-${size}`,
        'the package is 24 % of the busy time and GC 21 % (Botkit’s process: its adapter and botbuilder 42 %, GC 25 %). Top self time of ours: `turnOf` in webhook/toActivities (5.7 % of the whole profile: an object spread, a `Date` and an `Object.defineProperty` of a non-enumerable key on every item’s channelData, which also moves the object off its fast shape), `readMessagingItem` (1.5 %), `parseJson` (1.3 %), the scheduler’s `#start` (1.2 %), `readWebhookItems` (0.9 %), de-duplication’s `firstTime` (0.8 %). Botkit verifies SHA-1 and runs each event one after another with no de-duplication, ordering or time limit; those stay.',
      ],
      [
        `webhook-agents-batch-${size}`,
        'the same webhook core as the botbuilder adapter, with the same top functions (`turnOf` 4.3 % of the whole profile, GC 10 %). In the full run this adapter beat the botbuilder one at batches of 1 and 10 on the same core; the difference is in the framework’s turn, not isolated yet.',
      ],
    ]),
  ),
  'e2e-vs-today':
    'per event the bot process spends most of its time in Node’s HTTP server and client (56 % “node/other”: parsing the webhook request, writing the Send API call) and undici (11 %); the package is 17 % and botbuilder 5 %. Botkit’s version pays a Graph round trip per message, but on loopback a round trip is cheap in CPU, so it costs about 2× our CPU (1.9–2.3× over the runs so far) rather than 3×; over a real network with TLS each of its extra calls costs more.',
  'first-reply-p50':
    'the floor bot spends about 0.3 ms of CPU per event; ours about 2 ms for a new customer (webhook parsing and verification, a turn, a Graph call through the client with its deadline and checks, a Send API call). At 300 events/s that is 60 % of a core: on this 2-core machine with a load average of 6–11 from other work during the runs, the bot process falls behind, turns wait in the queue (up to `maxConcurrentTurns` = 64 run at once; at 300 ms per turn 64 carry 213 turns/s) and the latency grows through the run. Raising `maxConcurrentTurns` to 512 did not help in a check: CPU is the limit here, not the slots.',
  'first-reply-p99': 'see the p50 row: the queue grows during the run, so the tail is the end of the run.',
  'client-cpu-vs-undici':
    'the package is 13 % of the busy time. Per call it adds a deadline (`deadlineController` 1.0 % of the whole profile and undici’s `createAbortSignal` 1.8 %: an `AbortController` and a timer per call), the telemetry hook (`observeGraphCall`, 1.4 %, measured before telemetry stopped creating no-op spans), `#attempt` and `#call` of the transport (1.4 % + 1.3 %), `parseJson` (1.5 %) and the reply check (`profileFromReply`, 0.6 %).',
};
