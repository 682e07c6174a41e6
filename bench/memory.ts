import { execFileSync } from 'node:child_process';
import type { Figure, Mode } from './lib.js';

/** 5. Heap per cached profile (vs the same data in a Map), and heap flatness past `max`. */
export async function memory(mode: Mode): Promise<Figure[]> {
  const entries = mode === 'tiny' ? 5_000 : 100_000;
  const senders = mode === 'full' ? 1_000_000 : mode === 'quick' ? 200_000 : 40_000;
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/memoryProcess.ts', String(entries), String(senders)], { encoding: 'utf8' });
  const m = JSON.parse(out) as { plainBytes: number; oursBytes: number; heapAtTenth: number; heapAtEnd: number; size: number };
  return [
    {
      id: 'memory-per-entry',
      figure: `Heap per cached profile at ${entries.toLocaleString('en')} entries`,
      unit: 'bytes/entry',
      ours: m.oursBytes,
      baseline: m.plainBytes,
      baselineName: 'the same profiles in a plain Map',
      ratio: m.oursBytes / m.plainBytes,
      target: '≤ 1 KiB per entry',
      met: m.oursBytes <= 1_024,
    },
    {
      id: 'memory-flat',
      figure: `Heap after ${senders.toLocaleString('en')} senders through max 10 000`,
      unit: 'MiB',
      ours: m.heapAtEnd / 1_048_576,
      baseline: m.heapAtTenth / 1_048_576,
      baselineName: `heap after the first ${Math.max(senders / 10, 20_000).toLocaleString('en')} senders (cache full)`,
      ratio: m.heapAtEnd / m.heapAtTenth,
      target: 'flat (ratio ≤ 1.10)',
      met: m.heapAtEnd / m.heapAtTenth <= 1.1 && m.size === 10_000,
    },
  ];
}
