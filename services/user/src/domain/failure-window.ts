/**
 * Counts failures per key (a caller's address) in fixed windows, in this process's
 * memory, and refuses a key that reached `limit` until its window ends. Bounds guessing
 * at the token endpoint before any secret is compared; a success does not reset the
 * count, so interleaving one right guess does not reopen the door. Memory is bounded by
 * forgetting finished windows once `maxKeys` keys are held.
 *
 * In memory on purpose: the endpoint keeps issuing when Redis is down (every internal
 * call depends on it), and a guesser spread over N replicas gets N times the limit,
 * still nothing against a 32-character random secret.
 */
export class FailureWindow {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(
    private readonly options: { limit: number; windowMs: number; maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `key` may try again, or undefined when it may now. */
  retryAfterSeconds(key: string): number | undefined {
    const window = this.windows.get(key);
    const now = this.now();
    if (!window || window.endsAt <= now || window.count < this.options.limit) return undefined;
    return Math.max(1, Math.ceil((window.endsAt - now) / 1000));
  }

  recordFailure(key: string): void {
    const now = this.now();
    const window = this.windows.get(key);
    if (window && window.endsAt > now) {
      window.count += 1;
      return;
    }
    if (this.windows.size >= (this.options.maxKeys ?? 10_000)) this.forgetFinished(now);
    this.windows.set(key, { count: 1, endsAt: now + this.options.windowMs });
  }

  private forgetFinished(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    // Still full: every key is mid-window (a flood of addresses). Drop the oldest.
    const oldest = this.windows.keys().next();
    if (this.windows.size >= (this.options.maxKeys ?? 10_000) && !oldest.done)
      this.windows.delete(oldest.value);
  }
}
