import { Gauge, type Registry } from 'prom-client';
import type { Pool } from 'pg';

/**
 * The pool's usage, read from the pool at scrape time (no timers, no queries):
 *
 * - `pg_pool_connections{pool,state}`: `total` open connections, of which `idle`;
 *   `total - idle` are checked out by a query or a transaction.
 * - `pg_pool_waiting_requests{pool}`: callers queued for a connection. Above zero for
 *   long means the pool is the bottleneck (or a transaction holds connections too long).
 * - `pg_pool_max_connections{pool}`: the ceiling, so a panel can show usage as a share.
 *
 * `pool` tells several pools of one service apart; a service with one pool leaves it `main`.
 */
export function registerPoolMetrics(registry: Registry, pool: Pool, name = 'main'): void {
  new Gauge({
    name: 'pg_pool_connections',
    help: 'PostgreSQL pool connections: total open, and idle among them',
    labelNames: ['pool', 'state'],
    registers: [registry],
    collect() {
      this.set({ pool: name, state: 'total' }, pool.totalCount);
      this.set({ pool: name, state: 'idle' }, pool.idleCount);
    },
  });
  new Gauge({
    name: 'pg_pool_waiting_requests',
    help: 'Callers waiting for a PostgreSQL pool connection',
    labelNames: ['pool'],
    registers: [registry],
    collect() {
      this.set({ pool: name }, pool.waitingCount);
    },
  });
  new Gauge({
    name: 'pg_pool_max_connections',
    help: 'Most connections the PostgreSQL pool opens',
    labelNames: ['pool'],
    registers: [registry],
    collect() {
      this.set({ pool: name }, pool.options.max);
    },
  });
}
