import type { CacheLookup, CacheMetrics, CacheName } from './ports';
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
}

/**
 * Cache first, then the database, then fill the cache; all of it inside one flight per
 * key, so concurrent readers of a cold key share a single database load (and readers of
 * a warm key a single Redis GET). The fill completes before the flight ends, so a reader
 * arriving just after finds the key warm. Absent values are not cached: a miss for an
 * unknown id costs one primary-key lookup. When the cache is unavailable the fill is
 * skipped too, so an outage costs one timeout per read, not two.
 */
export function readThrough<T>(deps: ReadThroughDeps, spec: ReadThroughSpec<T>): Promise<T | undefined> {
  return deps.flights.run(`${spec.cache}:${spec.key}`, async () => {
    const cached = await spec.get();
    deps.metrics.lookup(spec.cache, cached.status);
    if (cached.status === 'hit') return cached.value;
    deps.metrics.load(spec.cache);
    const loaded = await spec.load();
    if (loaded !== undefined && cached.status === 'miss') await spec.put(loaded);
    return loaded;
  });
}
