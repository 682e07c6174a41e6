// The shared tier's figures: node --import tsx bench/redis.ts [--quick | --tiny] [--pairs=N]
// Starts a private redis-server on loopback (persistence off), then runs each variant in a
// fresh process, A and B alternated over pairs (5 by default), and prints each row as the
// median with its min and max; writes bench/redis-results.json (which `npm run bench` reads
// for its 3-instance row). Measures the source (src/), with the same method as bench/run.ts.
import { writeFileSync } from 'node:fs';
import { benchArgs } from './method/args.js';
import { describeMachine, finish } from './method/machine.js';
import { measurePairs } from './method/pairs.js';
import { Progress } from './method/progress.js';
import { summarise } from './method/summarise.js';
import { table } from './method/table.js';
import type { RowResult } from './method/types.js';
import { REDIS_GROUPS } from './rows.js';
import { startRedisServer } from '../test/support/redisServer.js';

const { args, mode, pairs, output } = benchArgs(process.argv.slice(2), 'bench/redis-results.json');


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
      const measured = await measurePairs(group, group.variants, { pairs, context: { mode }, progress, plannedTotal: planned });
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
