// npm run soak [-- --turns=1000000]: distinct senders through adapter + middleware + emulator with
// 5 % injected faults; reports turns/s, heap and RSS over time, event-loop delay p99, replies
// lost (sends that failed for good after the Send API client's retries), and every unhandled
// rejection or warning, with a progress line every 5 %. `runSoak` is also what the short soak
// test in `npm test` runs.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Agent, request } from 'undici';
import { InstagramProfileMiddleware } from 'botbuilder-instagram-profile';
import type { TurnContext } from 'botbuilder';
import { InstagramAdapter } from 'botbuilder-instagram-profile/adapter';
import { describeMachine } from './method/machine.js';

export interface SoakReport {
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  /** [turns done, heap MiB, RSS MiB], sampled after a GC when --expose-gc is on. */
  samples: Array<[number, number, number]>;
  eventLoopDelayP99Ms: number;
  unhandledRejections: number;
  warnings: string[];
  lookups: Record<string, number>;
  /** Replies that failed for good (after retries): the customer got no answer. */
  sendFailures: number;
  /** `sendFailures` as a share of turns. */
  lostReplyRate: number;
}

const BUSINESS = '17841400000000001';
// The emulator process's default app secret: it checks the proofs we send.
const SECRET = 'emulator-app-secret';

async function startEmulatorProcess() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/emulatorProcess.ts', 'auto'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the emulator process exited (${code})`)));
  });
  const info = JSON.parse(line) as { url: string; accessToken: string };
  return { ...info, stop: () => child.kill('SIGTERM') };
}

function signedDelivery(igsid: string, serial: number) {
  const raw = JSON.stringify({
    object: 'instagram',
    entry: [{ time: Date.now(), id: BUSINESS, messaging: [{ sender: { id: igsid }, recipient: { id: BUSINESS }, timestamp: Date.now(), message: { mid: `soak-${serial}`, text: 'hi' } }] }],
  });
  return { rawBody: Buffer.from(raw), signature: `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` };
}

/** V8's gc(), also without --expose-gc, so heap samples measure live memory, not garbage. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export async function runSoak({ turns = 1_000_000, concurrency = 64, faultRate = 0.05, samples = 20, progress = (_line: string) => undefined as void } = {}): Promise<SoakReport> {
  const gc = collector();
  const emulator = await startEmulatorProcess();
  const dispatcher = new Agent({ connections: 128 });
  let unhandledRejections = 0;
  const warnings: string[] = [];
  const onRejection = () => void unhandledRejections++;
  const onWarning = (warning: Error) => void warnings.push(`${warning.name}: ${warning.message}`);
  process.on('unhandledRejection', onRejection);
  process.on('warning', onWarning);
  try {
    // 5 % of Graph calls fail, in turn. Profile reads: transient, reset, a broken body, slow.
    // Sends: the failures that happen before Meta takes a message (transient, reset, slow); a
    // 200 whose body then breaks means Meta took it, which the emulator cannot act out.
    const faults = [
      ...(['transient', 'reset', 'truncated', 'latency'] as const).map((kind) => ({ kind, route: 'profile', rate: faultRate / 4 })),
      ...(['transient', 'reset', 'latency'] as const).map((kind) => ({ kind, route: 'send', rate: faultRate / 3 })),
    ];
    for (const fault of faults) {
      const response = await request(`${emulator.url}/_emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...fault, latencyMs: 400 }),
        dispatcher,
      });
      await response.body.dump();
    }
    const options = { accessToken: emulator.accessToken, appSecret: SECRET, graphUrl: emulator.url, dispatcher };
    const adapter = new InstagramAdapter({ ...options, verifyToken: 'v', sendTimeoutMs: 2_000 });
    const middleware = new InstagramProfileMiddleware({ ...options, cache: { max: 10_000 } });
    adapter.use(middleware);
    const lookups: Record<string, number> = {};
    let sendFailures = 0;
    const logic = async (context: TurnContext) => {
      const lookup = await middleware.load(context);
      const outcome = lookup.status === "ok" ? "ok" : `${lookup.status}:${lookup.error?.code ?? "-"}`;
      lookups[outcome] = (lookups[outcome] ?? 0) + 1;
      try {
        await context.sendActivity(lookup.status === 'ok' ? `Hi ${lookup.profile.name}!` : 'Hi there!');
      } catch {
        sendFailures++;
      }
    };
    const res = () => ({ statusCode: 0, headersSent: false, setHeader: () => undefined, end: () => undefined });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const series: SoakReport['samples'] = [];
    const every = Math.max(1, Math.floor(turns / samples));
    const progressEvery = Math.max(1, Math.floor(turns / 20));
    const started = performance.now();
    let done = 0;
    const worker = async () => {
      while (done < turns) {
        const serial = done++;
        const { rawBody, signature } = signedDelivery(String(7_000_000_000_000_000 + serial), serial);
        // Each worker waits for its turn to finish: `concurrency` turns in flight, like a server under steady load.
        await new Promise<void>((resolve) => {
          const turn = async (context: Parameters<typeof logic>[0]) => {
            try {
              await logic(context);
            } finally {
              resolve();
            }
          };
          adapter.process({ method: 'POST', url: '/', headers: { 'x-hub-signature-256': signature }, rawBody }, res(), turn).catch(() => resolve());
        });
        if ((serial + 1) % progressEvery === 0) {
          const elapsed = (performance.now() - started) / 1000;
          const left = (elapsed / (serial + 1)) * (turns - serial - 1);
          progress(`soak: ${Math.round(((serial + 1) / turns) * 100)} % (${serial + 1} turns) in ${elapsed.toFixed(0)} s, about ${left.toFixed(0)} s left`);
        }
        if ((serial + 1) % every === 0) {
          gc();
          const { heapUsed, rss } = process.memoryUsage();
          series.push([serial + 1, heapUsed / 1_048_576, rss / 1_048_576]);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await adapter.drain();
    const seconds = (performance.now() - started) / 1000;
    delay.disable();
    return {
      turns,
      seconds,
      turnsPerSecond: turns / seconds,
      samples: series,
      eventLoopDelayP99Ms: delay.percentile(99) / 1e6,
      unhandledRejections,
      warnings,
      lookups,
      sendFailures,
      lostReplyRate: sendFailures / turns,
    };
  } finally {
    process.off('unhandledRejection', onRejection);
    process.off('warning', onWarning);
    await dispatcher.close();
    emulator.stop();
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const turns = Number(process.argv.find((a) => a.startsWith('--turns='))?.slice(8) ?? 1_000_000);
  runSoak({ turns, progress: (line) => console.log(line) }).then((report) => {
    console.log(`${report.turns.toLocaleString('en')} turns from as many senders in ${report.seconds.toFixed(0)} s: ${report.turnsPerSecond.toFixed(0)} turns/s`);
    console.log('turns        heap MiB   RSS MiB');
    for (const [n, heap, rss] of report.samples) console.log(`${String(n).padStart(9)}  ${heap.toFixed(1).padStart(9)} ${rss.toFixed(1).padStart(9)}`);
    console.log(`event-loop delay p99: ${report.eventLoopDelayP99Ms.toFixed(1)} ms; unhandled rejections: ${report.unhandledRejections}; warnings: ${report.warnings.length}`);
    console.log(`lookups: ${JSON.stringify(report.lookups)}`);
    console.log(`replies lost after retries: ${report.sendFailures} (${(report.lostReplyRate * 100).toFixed(3)} %; target ≤ 0.1 %)`);
    // What `npm run docs` takes into docs/figures/soak.json (scripts/figures.ts SoakFigures).
    const machine = describeMachine();
    const figures = {
      date: machine.date.slice(0, 10),
      machine: `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`,
      turns: report.turns,
      seconds: Math.round(report.seconds),
      turnsPerSecond: report.turnsPerSecond,
      samples: report.samples.map(([n, heap, rss]) => [n, Math.round(heap * 10) / 10, Math.round(rss * 10) / 10]),
      eventLoopDelayP99Ms: Math.round(report.eventLoopDelayP99Ms),
      unhandledRejections: report.unhandledRejections,
      warnings: report.warnings.length,
      lookups: report.lookups,
      sendFailures: report.sendFailures,
    };
    writeFileSync(new URL('soak.json', import.meta.url), `${JSON.stringify(figures, null, 2)}\n`);
    console.log('written to bench/soak.json (npm run docs takes it into the docs)');
  });
}
