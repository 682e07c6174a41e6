// What the rest of the cost is, per row that misses its target: from `node --cpu-prof` profiles
// of the built package (BENCH_CPU_PROF=/tmp/prof node --import tsx bench/run.ts --quick --pairs=1
// --only=<group>, then bench/method/topFunctions.ts on each process's largest profile).
// bench/report.ts prints the entry of each row that misses. Shares are of the whole profile of
// the variant process unless said otherwise. Profiled 2026-11-25, after this session's changes.
const HOT_PATH =
  '`onTurn` now makes nothing per turn: it sets one object shared by every turn in `turnState` (the turn’s handle is made on the first ask). What remains is that one `Map.set` on botbuilder’s `TurnContextStateCollection`, which a no-op middleware does not do; an in-process A/B on CPU time put such a `set` within the noise of the no-op. Before the change (a handle allocated per turn) the row was 0.88–0.91. The rest of both processes is botbuilder’s pipeline (`runMiddleware`, generator-based `__awaiter`) and the GC.';

const WEBHOOK =
  'the two fixes of this session: each activity was spread into a new literal, which left dictionary-mode objects and cost about 10 µs per event (`turnOf` was 10.6 % self of the profile, the GC 28 %); now it is completed in place. The delivery digest is made once per turn with the one-shot `crypto.hash`, and the de-duplication ledger no longer walks its oldest entry per event. What remains: the InstagramAgentsAdapter runs on the same webhook core at 2.0–2.6× Botkit, so the botbuilder adapter’s gap is botbuilder’s own turn (`new TurnContext` and the generator-based `runMiddleware`: about 18 µs per event by subtraction), which Botkit pays too, plus our per-event work Botkit does not do (signature over SHA-256, de-duplication, per-customer ordering, a time limit per turn, answering before the turns).';

export const FINDINGS: Record<string, string> = {
  'hot-path-vs-noop': HOT_PATH,
  'hot-path-otel-vs-noop': HOT_PATH,
  'warm-lookup':
    'the floor is `await lru.get(key)` on one string built once, whose hash V8 has cached: no key is built and nothing is recognised. A first ask of a turn must recognise the event from the activity (`readMessagingItem`, `recognize`, `assign`: about 18 % of the profile when, as here, the activity does not carry the item our adapter leaves on it), build the key `business:igsid` and have lru-cache hash the new string (`#C`, lru-cache’s internal get, 14.7 % self), and make the turn’s handle and a resolved promise. Done this session: no `getRemainingTTL` per hit (entries carry their own expiry: it was 16 % of the profile), no memo object, no tuple per item (25–35 % less CPU per ask in an in-process A/B). Below 2× needs a key that is not built and hashed per turn.',
  ...Object.fromEntries([1, 10, 50].flatMap((size) => [`webhook-instagram-batch-${size}`, `webhook-agents-batch-${size}`].map((id) => [id, WEBHOOK]))),
  'e2e-vs-today':
    'the same bot without the middleware (the baseline of the row above) is itself at about 0.45 of what users write today: per event the bot process spends most of its time in Node’s HTTP server (the webhook request) and in undici writing the Send API call, which both bots pay, so even a middleware that cost nothing could not bring this row to 1/3. Botkit’s version pays a Graph round trip per message, cheap in CPU on loopback; over a real network with TLS each of its extra calls costs more, and it makes one Graph call per message where ours makes none for a cached customer.',
  'first-reply-p50':
    'the cause was the slots, not CPU: with `maxConcurrentTurns` at 64 and each turn waiting 300 ms (a 150 ms profile read, a 150 ms Send API call), the adapter carried 213 turns/s against 300 arriving and the queue grew through the run (p50 +388 ms, p99 +860 ms in a quick run). The default is now 512 (quick run: p50 +4.6 ms, p99 +99 ms). What remains is CPU on a 2-core machine shared with other work: bursts of new customers each make a Graph call and a Send API call, and the tail waits for the event loop.',
  'first-reply-p99': 'see the p50 row: what is left in the tail is the event loop of a shared 2-core machine during bursts.',
  'client-cpu-vs-undici':
    'the baseline is undici at its cheapest (`dispatcher.request({ origin, path })`, no URL parse; the top-level `request(url)` costs 10–25 µs more per call). This session: the deadline makes no `AbortController` (about 6 µs a call in Node 20; the `Deadline` itself is undici’s signal, a real `AbortSignal` only when a token function or a retry wait reads it), requests skip the top-level URL parse, a token string costs no promise. What remains, about 2.7 µs per call in a steady-state profile: `#attempt` 0.7, `parseJson` 0.7, `fetchProfile` 0.6, `#call` 0.2, the reply check 0.1, plus the `Authorization` header on the wire.',
};
