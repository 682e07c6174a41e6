// The top self-time functions of a V8 CPU profile (`node --cpu-prof`, or BENCH_CPU_PROF with bench/run.ts):
//   node --import tsx bench/method/topFunctions.ts <file.cpuprofile> [count] [--package]
// --package: only functions of the built package (dist/ or BENCH_DIST), as a share of the whole profile.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function topFunctions(profile: CpuProfile, count: number, filter: (url: string) => boolean = () => true): Array<{ name: string; share: number }> {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    const frame = byNode.get(id)?.callFrame;
    if (!frame || !filter(frame.url)) return;
    const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|dist|bench-dist|src|bench)\//, '$1/')}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    self.set(name, (self.get(name) ?? 0) + delta);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, time]) => ({ name, share: time / total }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, count = '15'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: topFunctions.ts <file.cpuprofile> [count] [--package]');
  const onlyPackage = process.argv.includes('--package');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const rows = topFunctions(profile, Number(count), onlyPackage ? (url) => /\/(dist|bench-dist)\/esm\//.test(url) : undefined);
  for (const { name, share } of rows) process.stdout.write(`${(share * 100).toFixed(1).padStart(5)} %  ${name}\n`);
}
