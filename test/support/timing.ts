import { expect } from 'chai';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** How often the lag monitor samples: its own period is not lag, so it is taken off. */
const RESOLUTION_MS = 10;

export interface Timed<T> {
  value: T;
  /** Wall-clock time the action took. */
  ms: number;
  /** The longest the event loop was held up meanwhile: on a loaded machine every timer fires that much late. */
  lagMs: number;
}

/**
 * Runs `action` and measures both how long it took and how far the event loop fell
 * behind meanwhile. A deadline check then allows for the lag, which a loaded CI machine
 * adds to any timer, and still catches code that waits when it should not: waiting on a
 * socket leaves the loop idle, so it adds no lag.
 */
export async function timed<T>(action: () => Promise<T>): Promise<Timed<T>> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  const started = performance.now();
  try {
    const value = await action();
    const ms = performance.now() - started;
    return { value, ms, lagMs: Math.max(0, histogram.max / 1e6 - RESOLUTION_MS) };
  } finally {
    histogram.disable();
  }
}

/** Asserts that a timed action finished within `limitMs`, plus whatever the event loop itself was late. */
export function expectFinishedWithin(measured: Timed<unknown>, limitMs: number, what?: string): void {
  const label = `${what ?? 'took'} ${measured.ms.toFixed(0)} ms with the event loop up to ${measured.lagMs.toFixed(0)} ms late`;
  expect(measured.ms, label).to.be.at.most(limitMs + measured.lagMs);
}
