import { isConnectionFailure } from '@surge/errors';
import { addEvent } from '@surge/telemetry';
import type { CacheLookup, CacheMetrics, CacheName, CatalogRead } from './ports';
import type { SingleFlight } from './single-flight';

export interface ReadThroughDeps {
  metrics: CacheMetrics;
  flights: SingleFlight;
}

export interface ReadThroughSpec<T> {
  cache: CacheName;
  key: string;
  get(): Promise<CacheLookup<T>>;
  load(): Promise<T | undefined>;
  put(value: T): Promise<void>;
  /** The last known value, read only when `load` failed to reach the database. */
  stale?(): Promise<T | undefined>;
}

/**
 * Cache first, then the database, then fill the cache; all of it inside one flight per
 * key, so concurrent readers of a cold key share a single database load (and readers of
 * a warm key a single Redis GET). The fill completes before the flight ends, so a reader
 * arriving just after finds the key warm. Absent values are not cached: a miss for an
 * unknown id costs one primary-key lookup. When the cache is unavailable the fill is
 * skipped too, so an outage costs one timeout per read, not two.
 *
 * Serve stale: when the load fails because the database cannot be reached (refused,
 * terminated, not accepting connections, pool timeout; `isConnectionFailure`), the stale
 * copy answers instead, marked `stale: true` so the HTTP edge can say so. Any other
 * error (a bad query, a statement timeout), or no stale copy, fails the read as before:
 * serving stale is for an outage, never a way to hide a bug.
 *
 * The lookup's result and a stale answer are span events on the active span
 * (`cache.lookup`, `cache.stale_served`).
 */
export function readThrough<T>(
  deps: ReadThroughDeps,
  spec: ReadThroughSpec<T>,
): Promise<CatalogRead<T | undefined>> {
  return deps.flights.run(`${spec.cache}:${spec.key}`, async () => {
    const cached = await spec.get();
    deps.metrics.lookup(spec.cache, cached.status);
    addEvent('cache.lookup', { 'surge.cache.name': spec.cache, 'surge.cache.result': cached.status });
    if (cached.status === 'hit') return { value: cached.value, stale: false };
    deps.metrics.load(spec.cache);
    let loaded: T | undefined;
    try {
      loaded = await spec.load();
    } catch (error) {
      const stale = spec.stale && isConnectionFailure(error) ? await spec.stale() : undefined;
      if (stale === undefined) throw error;
      deps.metrics.staleServed(spec.cache);
      addEvent('cache.stale_served', { 'surge.cache.name': spec.cache });
      return { value: stale, stale: true };
    }
    if (loaded !== undefined && cached.status === 'miss') await spec.put(loaded);
    return { value: loaded, stale: false };
  });
}
