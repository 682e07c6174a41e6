import type { Mode } from './types.js';

/** What every bench runner takes: `--quick` | `--tiny`, `--pairs=N`, `--out=path`, `--only=group,…`. */
export interface BenchArgs {
  args: string[];
  mode: Mode;
  pairs: number;
  output: string;
  only: string[] | undefined;
}

export function benchArgs(argv: readonly string[], defaultOutput: string): BenchArgs {
  const args = [...argv];
  const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const mode: Mode = args.includes('--tiny') ? 'tiny' : args.includes('--quick') ? 'quick' : 'full';
  const pairs = Number(option('pairs') ?? { full: 5, quick: 3, tiny: 1 }[mode]);
  if (!Number.isInteger(pairs) || pairs < 1) throw new RangeError('--pairs must be a positive integer');
  return { args, mode, pairs, output: option('out') ?? defaultOutput, only: option('only')?.split(',') };
}
