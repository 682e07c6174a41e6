import createDebug from 'debug';
import { CircuitOpenError } from '../errors.js';
import { APP_KEY } from './rateLimitGate.js';

const log = createDebug('instagram-profile:circuit');

export interface CircuitBreakerOptions {
  /** Consecutive failed reads (after their retries) that open the circuit for a business. Default 5. */
  threshold?: number;
  /** How long an open circuit answers at once, in ms, before one probe call is let through. Default 30 000. */
  cooldown?: number;
}

interface Circuit {
  failures: number;
  openUntil: number;
  probing: boolean;
}

/**
 * Per-business circuit breaker. After `threshold` consecutive failures (Graph down, timing
 * out, answering garbage, token revoked), calls for that business stop for `cooldown`:
 * lookups answer at once (the cache then serves a stale profile if it has one). Then one
 * probe goes through; only a real success closes the circuit, a failure opens it again,
 * and a probe that proved nothing (aborted, throttled) frees the slot for the next call.
 */
export class CircuitBreaker {
  readonly #circuits = new Map<string, Circuit>();

  /** Each circuit on record, for the circuit gauge: closed (failures below the threshold), open, or half-open (cooldown over). */
  *states(): IterableIterator<[string, 'closed' | 'half-open' | 'open']> {
    const now = this.now();
    for (const [key, circuit] of this.#circuits) yield [key, circuit.failures < this.threshold ? 'closed' : circuit.openUntil > now ? 'open' : 'half-open'];
  }

  constructor(
    private readonly now: () => number,
    private readonly threshold: number,
    private readonly cooldown: number,
    /** Told when this instance opens a circuit (until its cooldown ends) or closes one (0), so that other instances can share it. */
    private readonly onChange: (key: string, openUntil: number) => void = () => undefined,
  ) {}

  /** Undefined when a call may go out (and marks it as the probe if the circuit is half-open). */
  check(key: string): CircuitOpenError | undefined {
    const circuit = this.#circuits.get(key);
    if (!circuit || circuit.failures < this.threshold) return undefined;
    const remaining = circuit.openUntil - this.now();
    if (remaining <= 0 && !circuit.probing) {
      circuit.probing = true;
      log('circuit for %s half-open: probing', key);
      return undefined;
    }
    return new CircuitOpenError(
      `Graph API calls for ${key === APP_KEY ? 'this app' : `business ${key}`} are paused after ${circuit.failures} consecutive failures`,
      Math.max(0, remaining),
    );
  }

  onSuccess(key: string): void {
    if (this.#circuits.size === 0) return;
    const circuit = this.#circuits.get(key);
    if (!circuit) return;
    this.#circuits.delete(key);
    log('circuit for %s closed', key);
    if (circuit.failures >= this.threshold) this.onChange(key, 0);
  }

  /** A circuit another instance opened until `openUntil` (this clock), or closed (0 or a past time). */
  openShared(key: string, openUntil: number): void {
    if (openUntil <= this.now()) {
      if (this.#circuits.delete(key)) log('circuit for %s closed by another instance', key);
      return;
    }
    const circuit = this.#circuits.get(key) ?? { failures: 0, openUntil: 0, probing: false };
    circuit.failures = Math.max(circuit.failures, this.threshold);
    circuit.openUntil = Math.max(circuit.openUntil, openUntil);
    circuit.probing = false;
    this.#circuits.set(key, circuit);
    log('circuit for %s open for %d ms (opened by another instance)', key, openUntil - this.now());
  }

  /** The call proved nothing either way: a probe gives its slot back, the count stays. */
  release(key: string): void {
    const circuit = this.#circuits.get(key);
    if (circuit) circuit.probing = false;
  }

  onFailure(key: string): void {
    const circuit = this.#circuits.get(key) ?? { failures: 0, openUntil: 0, probing: false };
    circuit.failures++;
    circuit.probing = false;
    if (circuit.failures >= this.threshold) {
      circuit.openUntil = this.now() + this.cooldown;
      log('circuit for %s open for %d ms after %d failures', key, this.cooldown, circuit.failures);
    }
    this.#circuits.set(key, circuit);
    if (circuit.failures >= this.threshold) this.onChange(key, circuit.openUntil);
  }
}
