/**
 * Progress on stderr: a line when a stage starts, and one each time the run passes another
 * 5 % of its processes, with the time elapsed and an estimate of what is left.
 */
export class Progress {
  readonly #started = Date.now();
  readonly #write: (line: string) => void;
  #doneSeconds = 0;
  #remainingEstimate: number;
  #lastStep = -1;

  /** `estimateSeconds`: the first guess of the whole run, refined as processes finish. */
  constructor(estimateSeconds: number, write: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)) {
    this.#remainingEstimate = estimateSeconds;
    this.#write = write;
  }

  stage(title: string, processes: number): void {
    this.#write(`[${clock(this.elapsed)}] ${title}: ${processes} processes, ~${clock(this.left)} left in the run`);
  }

  /**
   * One process finished, which the plan had guessed would take `guessSeconds`.
   * What is left is re-scaled by how far reality is from the plan so far.
   */
  processDone(label: string, guessSeconds: number, plannedTotal: number): void {
    this.#doneSeconds += guessSeconds;
    this.#remainingEstimate = Math.max(0, plannedTotal - this.#doneSeconds);
    const share = this.#doneSeconds / plannedTotal;
    const step = Math.floor(share * 20);
    if (step === this.#lastStep) return;
    this.#lastStep = step;
    this.#write(`[${clock(this.elapsed)}] ${Math.round(share * 100)} % (${label}), ~${clock(this.left)} left`);
  }

  note(line: string): void {
    this.#write(`[${clock(this.elapsed)}] ${line}`);
  }

  get elapsed(): number {
    return (Date.now() - this.#started) / 1_000;
  }

  /** Planned seconds left, scaled by how fast the plan has been going. */
  get left(): number {
    const pace = this.#doneSeconds > 0 ? this.elapsed / this.#doneSeconds : 1;
    return this.#remainingEstimate * pace;
  }
}

export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
