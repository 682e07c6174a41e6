// node --import tsx bench/telemetryCost.ts [--rounds=N] [--quick]
// What the OpenTelemetry hooks cost on the hot paths, from src/. Three variants, each round
// in fresh processes, in alternating order (A B C, C B A, …):
//   hidden: @opentelemetry/api cannot be resolved (a resolve hook hides it): the floor,
//   api:    the API is installed and no SDK registered (the case that must cost nothing),
//   sdk:    a MeterProvider and a TracerProvider registered (what recording costs).
// Each row is the median over rounds with its min and max.
import { execFile } from 'node:child_process';
import { register } from 'node:module';
import { promisify } from 'node:util';

type Variant = 'hidden' | 'api' | 'sdk';
const VARIANTS: Variant[] = ['hidden', 'api', 'sdk'];
const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = args.includes('--quick');

interface Sample {
  /** ns per `observeLookup` of a settled answer: the line the turn handle runs per lookup. */
  observeLookupNs: number;
  /** ns per warm `load(context)` through the middleware (a cache hit, first ask of its turn). */
  warmLookupNs: number;
  /** µs per profile read through the transport (MockAgent, no network). */
  graphReadUs: number;
  /** µs per signed one-event webhook delivery through the core, its turn included. */
  deliveryUs: number;
}

const HIDE_API = `export async function resolve(specifier, context, next) {
  if (specifier === '@opentelemetry/api') throw Object.assign(new Error('hidden by the benchmark'), { code: 'ERR_MODULE_NOT_FOUND' });
  return next(specifier, context);
}`;

async function child(variant: Variant): Promise<void> {
  if (variant === 'hidden') register(`data:text/javascript,${encodeURIComponent(HIDE_API)}`);
  const { createHmac } = await import('node:crypto');
  const { MockAgent } = await import('undici');
  const { InstagramProfileMiddleware, GraphProfileClient } = await import('../src/index.js');
  const { WebhookCore } = await import('../src/webhook/core.js');
  const { observeLookup } = await import('../src/telemetry/lookups.js');
  const { loadTelemetryApi } = await import('../src/telemetry/api.js');
  if ((await loadTelemetryApi()) === undefined) {
    if (variant !== 'hidden') throw new Error('the API did not load');
  } else if (variant === 'hidden') throw new Error('the API was not hidden');
  if (variant === 'sdk') {
    const { metrics, trace } = await import('@opentelemetry/api');
    const { MeterProvider, PeriodicExportingMetricReader, InMemoryMetricExporter, AggregationTemporality } = await import('@opentelemetry/sdk-metrics');
    const { BasicTracerProvider, SimpleSpanProcessor, InMemorySpanExporter } = await import('@opentelemetry/sdk-trace-base');
    const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3_600_000 });
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    const spans = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
    // Spans kept in memory would grow the heap over the run: drop them as they come.
    setInterval(() => spans.reset(), 50).unref();
  }

  const scale = quick ? 0.2 : 1;
  const BUSINESS = '17841400000000001';
  const PERSON = '7432109876543210';
  const profile = { id: PERSON, name: 'Ada Lovelace', username: 'ada', profilePic: null };
  const time = async (count: number, op: () => unknown) => {
    for (let i = 0; i < Math.min(count, 2_000); i++) await op(); // warm-up (JIT)
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await op();
    return Number(process.hrtime.bigint() - start) / count;
  };

  const timeSync = (count: number, op: () => void) => {
    for (let i = 0; i < 10_000; i++) op();
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) op();
    return Number(process.hrtime.bigint() - start) / count;
  };
  const settled = { status: 'ok', profile, source: 'cache' } as const;
  // Synchronous: an await per call would cost more than the call.
  const observeLookupNs = timeSync(2_000_000 * scale, () => observeLookup(settled));

  const mw = new InstagramProfileMiddleware({ accessToken: 'bench-token', graphUrl: 'http://127.0.0.1:9' });
  mw.cache.set(BUSINESS, profile);
  const activity = { channelId: 'instagram', channelData: { sender: { id: PERSON }, recipient: { id: BUSINESS }, message: { mid: 'm', text: 'hi' } } };
  const warmLookupNs = await time(200_000 * scale, async () => {
    const context = { activity, turnState: new Map() };
    await mw.onTurn(context, () => mw.load(context).then(() => undefined));
  });

  const agent = new MockAgent();
  agent.disableNetConnect();
  const reads = quick ? 2_000 : 6_000;
  agent
    .get('https://graph.facebook.com')
    .intercept({ path: () => true, method: 'GET' })
    .reply(200, { id: PERSON, name: 'Ada' }, { headers: { 'content-type': 'application/json' } })
    .times(reads + 2_000);
  const client = new GraphProfileClient({ accessToken: 'bench-token', dispatcher: agent });
  const graphReadUs = (await time(reads, () => client.fetchProfile(PERSON, { businessId: BUSINESS }))) / 1000;

  const core = new WebhookCore({ appSecret: 'bench-secret', verifyToken: 'v', accessToken: 'bench-token', graphUrl: 'http://127.0.0.1:9', dedupe: false });
  const res = { statusCode: 0, setHeader: () => undefined, end: () => undefined };
  const raw = Buffer.from(JSON.stringify({ object: 'instagram', entry: [{ id: BUSINESS, time: Date.now(), messaging: [{ sender: { id: PERSON }, recipient: { id: BUSINESS }, timestamp: Date.now(), message: { mid: 'm1', text: 'hi' } }] }] }));
  const request = { method: 'POST', headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', 'bench-secret').update(raw).digest('hex')}` }, rawBody: raw };
  const deliveryUs = (await time(20_000 * scale, () => core.handle(request, res, async () => undefined).then(() => core.drain()))) / 1000;

  const sample: Sample = { observeLookupNs, warmLookupNs, graphReadUs, deliveryUs };
  process.stdout.write(JSON.stringify(sample));
  process.exit(0);
}

async function parent(): Promise<void> {
  const rounds = Number(option('rounds') ?? (quick ? 3 : 7));
  const run = promisify(execFile);
  const samples: Record<Variant, Sample[]> = { hidden: [], api: [], sdk: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const variant of order) {
      const argv = ['--import', 'tsx', process.argv[1]!, `--child=${variant}`, ...(quick ? ['--quick'] : [])];
      const { stdout } = await run(process.execPath, argv, { env: { ...process.env, NODE_OPTIONS: '', DEBUG: '' }, maxBuffer: 1 << 20 });
      samples[variant].push(JSON.parse(stdout) as Sample);
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  const keys = Object.keys(samples.hidden[0]!) as (keyof Sample)[];
  const lines = [`Node ${process.version}, ${rounds} rounds, fresh process per variant and round; median [min–max]`, ''];
  lines.push(`| figure | ${VARIANTS.join(' | ')} | api / hidden |`, `|---|${VARIANTS.map(() => '---|').join('')}---|`);
  for (const key of keys) {
    const stats = VARIANTS.map((variant) => summary(samples[variant].map((s) => s[key])));
    lines.push(`| ${key} | ${stats.map((s) => `${fmt(s.median)} [${fmt(s.min)}–${fmt(s.max)}]`).join(' | ')} | ${(stats[1]!.median / stats[0]!.median).toFixed(3)} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

function fmt(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

const childVariant = option('child') as Variant | undefined;
await (childVariant ? child(childVariant) : parent());
