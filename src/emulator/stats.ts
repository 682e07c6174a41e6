export type RouteName = 'profile' | 'send' | 'picture' | 'control' | 'unknown';

/** Counts calls per route and profile reads per IGSID, so a test can prove "one Graph call". */
export class EmulatorStats {
  #routes = new Map<RouteName, number>();
  #profiles = new Map<string, number>();

  record(route: RouteName, igsid?: string): void {
    this.#routes.set(route, (this.#routes.get(route) ?? 0) + 1);
    if (route === 'profile' && igsid !== undefined) this.#profiles.set(igsid, (this.#profiles.get(igsid) ?? 0) + 1);
  }

  /** User Profile API calls, all or for one IGSID. */
  profileCalls(igsid?: string): number {
    return igsid === undefined ? (this.#routes.get('profile') ?? 0) : (this.#profiles.get(igsid) ?? 0);
  }

  /** Calls of one route, or of all routes. */
  calls(route?: RouteName): number {
    if (route !== undefined) return this.#routes.get(route) ?? 0;
    let total = 0;
    for (const count of this.#routes.values()) total += count;
    return total;
  }

  toJSON() {
    return { routes: Object.fromEntries(this.#routes), profiles: Object.fromEntries(this.#profiles) };
  }

  reset(): void {
    this.#routes.clear();
    this.#profiles.clear();
  }
}
