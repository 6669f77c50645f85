import { Counter, type Registry } from 'prom-client';
import type { CacheMetrics } from '../domain/ports';

/**
 * `cache_requests_total{cache,result}`: what each cache lookup found (hit, miss, or
 * unavailable while Redis is down or slow). `cache_loads_total{cache}`: database loads
 * after a miss, counted once per single-flight, so a stampede on a cold key shows up as
 * many requests and one load. `cache_stale_served_total{cache}`: reads answered from the
 * stale copy while the database was unreachable.
 */
export function createCacheMetrics(registry: Registry): CacheMetrics {
  const requests = new Counter({
    name: 'cache_requests_total',
    help: 'Cache lookups by cache and result',
    labelNames: ['cache', 'result'],
    registers: [registry],
  });
  const loads = new Counter({
    name: 'cache_loads_total',
    help: 'Database loads after a cache miss (one per single-flight)',
    labelNames: ['cache'],
    registers: [registry],
  });
  const staleServed = new Counter({
    name: 'cache_stale_served_total',
    help: 'Reads answered from the stale cache copy because the database could not be reached',
    labelNames: ['cache'],
    registers: [registry],
  });
  return {
    lookup: (cache, result) => requests.inc({ cache, result }),
    load: (cache) => loads.inc({ cache }),
    staleServed: (cache) => staleServed.inc({ cache }),
  };
}
