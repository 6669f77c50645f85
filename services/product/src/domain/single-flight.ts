/**
 * One loader per key in this process: callers asking for a key that is already being
 * loaded share that load's promise instead of starting their own. This is the stampede
 * protection for cold cache keys: N concurrent readers of a missing product cost one
 * database query, not N. The entry is dropped when the load settles (success or
 * failure), so a failed load is retried by the next caller rather than cached.
 */
export class SingleFlight {
  private readonly inflight = new Map<string, Promise<unknown>>();

  run<T>(key: string, load: () => Promise<T>): Promise<T> {
    const current = this.inflight.get(key);
    if (current) return current as Promise<T>;
    const started = Promise.resolve()
      .then(load)
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, started);
    return started;
  }

  /** Loads in progress; for tests and metrics. */
  get size(): number {
    return this.inflight.size;
  }
}
