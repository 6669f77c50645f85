import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { runMigrations } from '@surge/postgres';
import { createLogger } from '@surge/logger';
import { createScratchDatabase, type ScratchDatabase } from '@surge/testing';
import { messagingMigrationsDir, registerOutboxMetrics } from '../src';

let database: ScratchDatabase;
let pool: Pool;
beforeAll(async () => {
  database = await createScratchDatabase('surge_outbox_metrics');
  await runMigrations({
    databaseUrl: database.url,
    dir: messagingMigrationsDir,
    table: 'schema_migrations_messaging',
    logger: createLogger({ service: 'test', level: 'silent' }),
  });
  pool = new Pool({ connectionString: database.url, max: 2 });
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

async function gauges(registry: Registry): Promise<{ pending: number | undefined; age: number | undefined }> {
  const metrics = await registry.getMetricsAsJSON();
  const value = (name: string) => metrics.find((metric) => metric.name === name)?.values[0]?.value;
  return { pending: value('outbox_pending_events'), age: value('outbox_oldest_pending_age_seconds') };
}

async function insertEvent(ageSeconds: number): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO outbox (id, topic, message_key, event_type, source, data, created_at)
     VALUES ($1::uuid, 'orders', $1::text, 'order.created', '/test', '{}', now() - make_interval(secs => $2::int))`,
    [id, ageSeconds],
  );
  return id;
}

describe('the outbox backlog gauges', () => {
  it('read zero rows and zero age from an empty outbox', async () => {
    const registry = new Registry();
    registerOutboxMetrics(registry, pool);
    expect(await gauges(registry)).toEqual({ pending: 0, age: 0 });
  });

  it('count unpublished rows and the age of the oldest, and drop back once they are published', async () => {
    const registry = new Registry();
    registerOutboxMetrics(registry, pool);
    const oldest = await insertEvent(120);
    const newer = await insertEvent(5);
    const published = await insertEvent(600);
    await pool.query('UPDATE outbox SET published_at = now() WHERE id = $1', [published]);

    const backlog = await gauges(registry);
    expect(backlog.pending).toBe(2);
    expect(backlog.age).toBeGreaterThanOrEqual(120);
    expect(backlog.age).toBeLessThan(600);

    await pool.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1)', [[oldest, newer]]);
    expect(await gauges(registry)).toEqual({ pending: 0, age: 0 });
  });

  it('read NaN (unknown), and do not fail the scrape, when the database cannot be reached', async () => {
    const unreachable = new Pool({ connectionString: database.url.replace(/:(\d+)\//, ':1/'), max: 1 });
    const registry = new Registry();
    registerOutboxMetrics(registry, unreachable);
    const text = await registry.metrics();
    // prom-client writes `Nan`; Prometheus parses NaN in any case.
    expect(text).toMatch(/^outbox_pending_events nan$/im);
    expect(text).toMatch(/^outbox_oldest_pending_age_seconds nan$/im);
    await unreachable.end();
  });
});
