// The shared tier's figures: node --import tsx bench/redis.ts [--quick | --tiny] [--pairs=N]
// Starts a private redis-server on loopback (persistence off), then runs each variant in a
// fresh process, A and B alternated over pairs (5 by default), and prints each row as the
// median with its min and max; writes bench/redis-results.json (which `npm run bench` reads
// for its 3-instance row). Measures the source (src/), with the same method as bench/run.ts.
import { writeFileSync } from 'node:fs';
import { describeMachine, finish } from './method/machine.js';
import { runVariant } from './method/processes.js';
import { Progress } from './method/progress.js';
import { summarise } from './method/summarise.js';
import { table } from './method/table.js';
import type { GroupSpec, Metrics, Mode, RowResult } from './method/types.js';
import { startRedisServer } from '../test/support/redisServer.js';

const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const mode: Mode = args.includes('--tiny') ? 'tiny' : args.includes('--quick') ? 'quick' : 'full';
const pairs = Number(option('pairs') ?? { full: 5, quick: 3, tiny: 1 }[mode]);
const output = option('out') ?? 'bench/redis-results.json';
if (!Number.isInteger(pairs) || pairs < 1) throw new RangeError('--pairs must be a positive integer');

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

async function main(): Promise<void> {
  const machine = describeMachine();
  const server = await startRedisServer();
  // Variant processes inherit the environment: this is how they find the server.
  process.env.BENCH_REDIS_PORT = String(server.port);
  const planned = REDIS_GROUPS.reduce((sum, g) => sum + g.variants.length * pairs * g.estimate[mode], 0);
  const progress = new Progress(planned);
  const rows: RowResult[] = [];
  try {
    for (const group of REDIS_GROUPS) {
      progress.stage(group.title, group.variants.length * pairs);
      const measured: Array<Map<string, Metrics>> = [];
      for (let pair = 0; pair < pairs; pair++) {
        const order = pair % 2 === 0 ? group.variants : [...group.variants].reverse();
        const metrics = new Map<string, Metrics>();
        for (const variant of order) {
          metrics.set(variant.name, await runVariant(group.module, variant.name, { mode }, { profileName: `${group.id}-${variant.name}-${pair}` }));
          progress.processDone(`${group.title} ${variant.name}, pair ${pair + 1}/${pairs}`, group.estimate[mode], planned);
        }
        measured.push(metrics);
      }
      rows.push(...group.rows.map((row) => summarise(group.id, row, measured)));
    }
  } finally {
    await server.stop('SIGKILL');
  }
  const results = { mode, command: `node --import tsx bench/redis.ts ${args.join(' ')}`.trim(), source: 'src/', machine: finish(machine), seconds: Math.round(progress.elapsed), pairs, rows };
  writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`);
  console.log(table(rows));
  console.log(`\n${mode} run, ${pairs} pair(s), ${results.seconds} s, on ${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.machine.node}, load ${results.machine.loadBefore.join(' ')} → ${results.machine.loadAfter.join(' ')}; written to ${output}`);
}

if (import.meta.filename === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
