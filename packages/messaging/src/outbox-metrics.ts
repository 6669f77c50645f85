import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '@surge/logger';
import type { Pool } from 'pg';

/** A scrape must not hang on a database that does not answer; Prometheus times out at 10 s. */
const QUERY_TIMEOUT_MS = 1_000;
/** Past this many rows the exact count no longer matters, and counting would cost a scan. */
const COUNT_CAP = 100_000;

/**
 * Both read through the partial index `outbox_unpublished_seq` (only unpublished rows),
 * so they stay cheap when the table holds millions of published rows. The oldest row is
 * the lowest `seq`: the relay's order, and the insert order.
 */
const BACKLOG_SQL = `
SELECT
  (SELECT count(*) FROM (SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT ${COUNT_CAP}) capped)::int AS pending,
  (SELECT extract(epoch FROM now() - created_at)::float8 FROM outbox
     WHERE published_at IS NULL ORDER BY seq LIMIT 1) AS oldest_age`;

interface BacklogRow {
  pending: number;
  oldest_age: number | null;
}

/**
 * `outbox_pending_events` (rows not yet published: the relay's backlog, which grows while
 * Kafka is down) and `outbox_oldest_pending_age_seconds` (how late the oldest of them
 * is; 0 when none), measured with one query when Prometheus scrapes. Both are registered
 * whether or not this process runs a relay: the backlog is the database's, and it is
 * what grows when no relay runs. If the database cannot answer within 1 s, both read NaN
 * for that scrape (unknown: a gap in a graph), never a stale number and never a failed scrape.
 */
export function registerOutboxMetrics(registry: Registry, pool: Pool, logger?: Logger): void {
  let measured: Promise<BacklogRow | undefined> | undefined;
  // Both gauges collect in the same scrape: one query serves them.
  const measure = () => {
    measured ??= queryBacklog(pool, logger).finally(() => {
      setImmediate(() => (measured = undefined));
    });
    return measured;
  };
  new Gauge({
    name: 'outbox_pending_events',
    help: 'Outbox rows not yet published to Kafka (capped at 100000)',
    registers: [registry],
    async collect() {
      const row = await measure();
      if (row) this.set(row.pending);
      else this.set(Number.NaN);
    },
  });
  new Gauge({
    name: 'outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest outbox row not yet published (0 when none)',
    registers: [registry],
    async collect() {
      const row = await measure();
      if (row) this.set(row.oldest_age ?? 0);
      else this.set(Number.NaN);
    },
  });
}

async function queryBacklog(pool: Pool, logger: Logger | undefined): Promise<BacklogRow | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${QUERY_TIMEOUT_MS} ms`)), QUERY_TIMEOUT_MS);
  });
  const query = pool.query<BacklogRow>(BACKLOG_SQL);
  query.catch(() => undefined); // a late failure after the timeout won must not go unhandled
  try {
    const result = await Promise.race([query, timeout]);
    return result.rows[0];
  } catch (error) {
    logger?.debug({ err: error }, 'outbox backlog not measured');
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
