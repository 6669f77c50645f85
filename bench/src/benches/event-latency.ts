import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createLogger } from '@surge/logger';
import {
  EventConsumer,
  OutboxRelay,
  appendToOutbox,
  claimInboxEntry,
  createKafka,
  ensureTopics,
  messagingMigrationsDir,
  type AnyCloudEvent,
} from '@surge/messaging';
import { createPool, runMigrations, withTransaction, type Pool } from '@surge/postgres';
import {
  ensureKafka,
  stopKafka,
  testPrincipalCredentials,
  ensurePostgres,
  stopPostgres,
  provisionDatabase,
} from '@surge/stack/native';
import { sleep } from '../lib/processes';
import type { BenchReport } from '../lib/report';
import type { BenchSettings } from '../lib/settings';
import { buildReport, type Mode, type Run } from './event-latency-report';

const CONSUMER = 'bench-latency';
/**
 * The bench's own topic: a run puts tens of thousands of events through it, which must
 * not land in `products`, where the services' tests read from the beginning.
 */
const TOPIC = 'bench-event-latency';

interface Timing {
  /** When the producer's commit returned; unset until then (see commitOne). */
  committedAt?: number;
  /** Set only when the consumer got there before the commit's return was seen. */
  deliveredAt?: number;
  appliedAt?: number;
  measured: boolean;
}

interface Probe {
  /** The producing side's pool (the use cases' transactions). */
  pool: Pool;
  /** The consuming service's own pool. */
  consumerPool: Pool;
  failed: number;
  timings: Map<string, Timing>;
  /** Commit to the consumer's handler being called (relay + Kafka + queueing). */
  deliveries: number[];
  /** Commit to the effect's transaction committed: the figure of the goal. */
  effects: number[];
}

/**
 * Events through the real outbox: each one a transaction that inserts its outbox row
 * (appendToOutbox), the relay woken by NOTIFY publishing it to Kafka, and a consumer in
 * its own group applying it with an inbox row and an effect row. Latency: from the
 * producer's COMMIT returning to the consumer's COMMIT returning, both read from the same
 * clock (one process). Each rate of BENCH_EVENT_RATES (300 and 1,000 by default) runs
 * for BENCH_SECONDS after BENCH_WARMUP_SECONDS, for each consumer mode of
 * BENCH_EVENT_MODES (`batch` by default; `per-message,batch` puts the one-transaction-
 * per-message consumer beside it).
 */
export async function eventLatency(settings: BenchSettings): Promise<BenchReport> {
  const rates = listOf(process.env.BENCH_EVENT_RATES ?? process.env.BENCH_EVENT_RATE ?? '300,1000').map(
    Number,
  );
  if (rates.some((rate) => !Number.isFinite(rate) || rate <= 0))
    throw new Error('BENCH_EVENT_RATES must be positive numbers, e.g. 300,1000');
  const modes = listOf(process.env.BENCH_EVENT_MODES ?? 'batch');
  if (modes.some((mode) => mode !== 'batch' && mode !== 'per-message'))
    throw new Error('BENCH_EVENT_MODES must be batch, per-message or both');
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const [postgres, kafkaHandle] = await Promise.all([ensurePostgres({}), ensureKafka({})]);
  const databaseUrl = await provisionDatabase(postgres.adminUrl, 'surge_bench_events');
  await runMigrations({
    databaseUrl,
    dir: messagingMigrationsDir,
    logger,
    table: 'schema_migrations_messaging',
  });
  // Three pools, as three parts of a deployment: the use cases committing events, the
  // relay (its LISTEN connection and its claims), and the consuming service.
  const pool = createPool({
    connectionString: databaseUrl,
    applicationName: 'bench-events',
    max: 20,
    connectTimeoutMs: 30_000,
    logger,
  });
  const relayPool = createPool({
    connectionString: databaseUrl,
    applicationName: 'bench-relay',
    max: 3,
    logger,
  });
  const consumerPool = createPool({
    connectionString: databaseUrl,
    applicationName: 'bench-consumer',
    max: 4,
    logger,
  });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_effect (event_id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  // Rows of earlier runs only slow the relay's claim down: this run measures its own.
  await pool.query('DELETE FROM outbox WHERE published_at IS NOT NULL');
  const kafka = createKafka({
    brokers: kafkaHandle.brokers,
    clientId: 'bench-events',
    logger,
    // Its own topic and group: the test principal's rights, not a service's.
    sasl: testPrincipalCredentials(),
  });
  await ensureTopics(kafka, [TOPIC]);
  const relay = new OutboxRelay({ pool: relayPool, kafka, logger, lockKey: 'bench-events-outbox' });
  const runs: Run[] = [];
  try {
    await relay.start();
    for (const mode of modes as Mode[])
      for (const rate of rates)
        runs.push(await measure({ pool, consumerPool, failed: 0 }, kafka, logger, settings, mode, rate));
    return buildReport(settings, runs);
  } finally {
    await relay.stop().catch(() => undefined);
    await dropHistory(kafka).catch(() => undefined);
    await Promise.all([pool.end(), relayPool.end(), consumerPool.end()]);
    if (kafkaHandle.startedByUs) await stopKafka(kafkaHandle);
    if (postgres.startedByUs) await stopPostgres(postgres);
  }
}

/** One consumer in a fresh group, warmed up, then `rate` events a second measured. */
async function measure(
  pools: Pick<Probe, 'pool' | 'consumerPool' | 'failed'>,
  kafka: ReturnType<typeof createKafka>,
  logger: ReturnType<typeof createLogger>,
  settings: BenchSettings,
  mode: Mode,
  rate: number,
): Promise<Run> {
  const probe: Probe = { ...pools, timings: new Map(), deliveries: [], effects: [] };
  const consumer = startConsumer(probe, kafka, logger, mode);
  try {
    await consumer.start();
    // Warm-up: until the consumer has joined its group and the first events came through.
    // It starts at the topic's end (no history to read), so events committed before it
    // joined never arrive: they are dropped from the books once the stream flows.
    await publishFor(probe, rate, Math.max(settings.warmupSeconds, 2), false);
    await waitUntil(() => probe.timings.size === 0, 10_000);
    probe.timings.clear();
    probe.deliveries.length = 0;
    probe.effects.length = 0;
    probe.failed = 0;
    const from = new Date();
    const published = await publishFor(probe, rate, settings.seconds, true);
    await waitUntil(() => probe.timings.size === 0, 30_000);
    return {
      relay: await relayShare(probe.pool, from),
      failed: probe.failed,
      mode,
      rate,
      achieved: published.events / (published.elapsedMs / 1000),
      events: published.events,
      latencies: { deliveries: probe.deliveries, effects: probe.effects },
      missing: probe.timings.size,
    };
  } finally {
    await consumer.stop().catch(() => undefined);
  }
}

function startConsumer(
  probe: Probe,
  kafka: ReturnType<typeof createKafka>,
  logger: ReturnType<typeof createLogger>,
  mode: Mode,
): EventConsumer {
  const common = {
    kafka,
    groupId: `${CONSUMER}-${randomUUID()}`,
    topics: [TOPIC],
    logger,
    fromBeginning: false,
  };
  const delivered = (event: AnyCloudEvent): Timing | undefined => {
    const timing = probe.timings.get(event.id);
    if (!timing) return undefined;
    if (timing.committedAt === undefined) timing.deliveredAt = performance.now();
    else if (timing.measured) probe.deliveries.push(performance.now() - timing.committedAt);
    return timing;
  };
  const applied = (timing: Timing | undefined, id: string, at: number): void => {
    if (!timing) return; // another producer's event on the shared topic
    if (timing.committedAt === undefined) {
      timing.appliedAt = at; // the producer books it when its commit returns
      return;
    }
    if (timing.measured) probe.effects.push(at - timing.committedAt);
    probe.timings.delete(id);
  };
  if (mode === 'per-message')
    return new EventConsumer({
      ...common,
      handle: async (event) => {
        const timing = delivered(event);
        await withTransaction(probe.consumerPool, async (tx) => {
          if (await claimInboxEntry(tx, CONSUMER, event.id))
            await tx.query('INSERT INTO bench_effect (event_id) VALUES ($1)', [event.id]);
        });
        applied(timing, event.id, performance.now());
      },
    });
  return new EventConsumer({
    ...common,
    inbox: {
      pool: probe.consumerPool,
      consumer: CONSUMER,
      apply: async (tx, events) => {
        for (const event of events) delivered(event);
        await tx.query('INSERT INTO bench_effect (event_id) SELECT unnest($1::text[])', [
          events.map((event) => event.id),
        ]);
      },
      committed: (events) => {
        const at = performance.now();
        for (const event of events) applied(probe.timings.get(event.id), event.id, at);
      },
    },
  });
}

/** Commits `rate` events a second, each in its own transaction, spread over 10 ms ticks. */
async function publishFor(
  probe: Probe,
  rate: number,
  seconds: number,
  measured: boolean,
): Promise<{ events: number; elapsedMs: number }> {
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  let sent = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent += 1) pending.push(publishOne(probe, measured, sent));
    await sleep(10);
  }
  await Promise.all(pending);
  return { events: sent, elapsedMs: performance.now() - started };
}

/** The relay's share: outbox rows created since `from`, created to marked published (ms). */
async function relayShare(pool: Pool, from: Date): Promise<Run['relay']> {
  const { rows } = await pool.query<{ p50: number; p90: number; p99: number; max: number }>(
    `SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
            percentile_disc(0.9) WITHIN GROUP (ORDER BY ms) AS p90,
            percentile_disc(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max
       FROM (SELECT extract(epoch FROM published_at - created_at) * 1000 AS ms FROM outbox
              WHERE created_at >= $1 AND published_at IS NOT NULL AND source = 'bench') AS published`,
    [from],
  );
  const row = rows[0];
  const n = (value: unknown) => (value === null || value === undefined ? Number.NaN : Number(value));
  return { p50: n(row?.p50), p90: n(row?.p90), p99: n(row?.p99), max: n(row?.max) };
}

async function publishOne(probe: Probe, measured: boolean, n: number): Promise<void> {
  try {
    await commitOne(probe, measured, n);
  } catch {
    probe.failed += 1; // a busy machine's pool timeout: reported, not measured
  }
}

async function commitOne(probe: Probe, measured: boolean, n: number): Promise<void> {
  const productId = randomUUID();
  // Registered before COMMIT: the relay is woken by NOTIFY at commit and, in this same
  // process, the consumer could apply the event before this function resumes after the
  // commit. Registered after it, such an event found no timing, was skipped, and its
  // timing, set later, was counted as never applied (2 of 6,000 at 300/s once the batch
  // consumer got fast), a lost event that was not lost.
  let id: string | undefined;
  try {
    const { event, timing } = await withTransaction(probe.pool, async (tx) => {
      const appended = await appendToOutbox(tx, {
        type: 'product.updated',
        topic: TOPIC,
        source: 'bench',
        subject: productId,
        data: {
          productId,
          sku: `BENCH-${n}`,
          name: 'Latency probe',
          priceCents: 100,
          currency: 'USD',
          stock: 1,
          version: 1,
        },
      });
      id = appended.id;
      const registered: Timing = { measured };
      probe.timings.set(appended.id, registered);
      return { event: appended, timing: registered };
    });
    settle(probe, event.id, timing, performance.now());
  } catch (error) {
    if (id !== undefined) probe.timings.delete(id); // never committed: nothing to wait for
    throw error;
  }
}

/** The commit returned: its latencies from now, or zero if the consumer was there first. */
function settle(probe: Probe, id: string, timing: Timing, committedAt: number): void {
  timing.committedAt = committedAt;
  if (timing.appliedAt === undefined) return;
  if (timing.measured) {
    probe.deliveries.push(Math.max(0, (timing.deliveredAt ?? committedAt) - committedAt));
    probe.effects.push(Math.max(0, timing.appliedAt - committedAt));
  }
  probe.timings.delete(id);
}

/** The run's events are of no use once measured: the broker keeps none of them. */
async function dropHistory(kafka: ReturnType<typeof createKafka>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const partitions = (await admin.fetchTopicOffsets(TOPIC)).map(({ partition, high }) => ({
      partition,
      offset: high,
    }));
    await admin.deleteTopicRecords({ topic: TOPIC, partitions });
  } finally {
    await admin.disconnect();
  }
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await sleep(50);
}

function listOf(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
