import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { runMigrations, type Queryable } from '@surge/postgres';
import { createScratchDatabase, eventually, type ScratchDatabase } from '@surge/testing';
import {
  EventConsumer,
  PoisonMessageError,
  ensureTopics,
  messagingMigrationsDir,
  toKafkaMessage,
  type AnyCloudEvent,
} from '../src';
import { readToEnd } from '../src/dead-letter-reader';
import { productProbe, silentLogger as logger, testKafka } from './support';

/**
 * The batch path of EventConsumer (`inbox`): a partition batch applied in one transaction
 * with its inbox rows. Real PostgreSQL and Kafka; a topic of the test's own on one
 * partition, so every message of a test is in one partition batch, in order.
 */
const kafka = testKafka('inbox-batch-test');

let database: ScratchDatabase;
let pool: Pool;
const consumers: EventConsumer[] = [];
beforeAll(async () => {
  database = await createScratchDatabase('surge_inbox_batch');
  await runMigrations({
    databaseUrl: database.url,
    dir: messagingMigrationsDir,
    table: 'schema_migrations_messaging',
    logger,
  });
  pool = new Pool({ connectionString: database.url, max: 4 });
  await pool.query(
    'CREATE TABLE effect (event_id text NOT NULL, seq serial PRIMARY KEY, sku text NOT NULL, consumer text NOT NULL)',
  );
});
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

const productEvent = (sku: string) => productProbe('inbox-batch-test', sku);

/** Publishes in one request, all with one key: one partition, one batch for the consumer. */
async function publish(topic: string, messages: Array<ReturnType<typeof toKafkaMessage>>): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: messages.map((message) => ({ ...message, key: 'one-key' })) });
  } finally {
    await producer.disconnect();
  }
}

async function freshTopic(): Promise<string> {
  const topic = `inbox-batch-${randomUUID().slice(0, 8)}`;
  await ensureTopics(kafka, [topic], 1);
  return topic;
}

interface Started {
  batches: string[][];
}

/** A consumer in a group of its own that writes one effect row per event it applies. */
async function startConsumer(
  topic: string,
  inboxName: string,
  apply?: (tx: Queryable, event: AnyCloudEvent) => Promise<void>,
): Promise<Started> {
  const started: Started = { batches: [] };
  const consumer = new EventConsumer({
    kafka,
    groupId: `inbox-batch-${randomUUID().slice(0, 8)}`,
    topics: [topic],
    logger,
    maxAttempts: 2,
    inbox: {
      pool,
      consumer: inboxName,
      // One event at a time inside the batch's transaction: the tests watch each event.
      apply: async (tx, events) => {
        for (const event of events) await (apply ?? writeEffect(inboxName))(tx, event);
      },
      committed: (events) => started.batches.push(events.map((event) => event.id)),
    },
  });
  consumers.push(consumer);
  await consumer.start();
  return started;
}

function writeEffect(inboxName: string) {
  return async (tx: Queryable, event: AnyCloudEvent): Promise<void> => {
    const sku = event.type === 'product.updated' ? event.data.sku : '?';
    await tx.query('INSERT INTO effect (event_id, sku, consumer) VALUES ($1, $2, $3)', [
      event.id,
      sku,
      inboxName,
    ]);
  };
}

async function effectsOf(inboxName: string): Promise<Array<{ event_id: string; sku: string }>> {
  const { rows } = await pool.query<{ event_id: string; sku: string }>(
    'SELECT event_id, sku FROM effect WHERE consumer = $1 ORDER BY seq',
    [inboxName],
  );
  return rows;
}

describe('EventConsumer with an inbox handler (one transaction per partition batch)', () => {
  it('applies a batch once, in partition order, and a redelivery of the whole batch changes nothing', async () => {
    const topic = await freshTopic();
    const inboxName = `batch-${randomUUID().slice(0, 8)}`;
    const events = Array.from({ length: 20 }, (_, i) => productEvent(`SKU-${i}`));
    // The relay republishing after a crash puts an event twice in the partition.
    await publish(
      topic,
      [...events, events[3]!].map((event) => toKafkaMessage(event)),
    );

    const first = await startConsumer(topic, inboxName);
    await eventually(async () => (await effectsOf(inboxName)).length === 20, { what: 'the first delivery' });
    expect((await effectsOf(inboxName)).map((row) => row.sku)).toEqual(events.map((_, i) => `SKU-${i}`));
    // Fewer transactions than messages: the batch path was taken, not one per message.
    expect(first.batches.length).toBeLessThan(20);

    // A second group reading the same inbox is a redelivery of every batch (as after a
    // crash before the offsets were committed): the inbox claims nothing new.
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    const again = await startConsumer(topic, inboxName);
    const marker = productEvent('MARKER');
    await publish(topic, [toKafkaMessage(marker)]);
    await eventually(async () => (await effectsOf(inboxName)).length === 21, { what: 'the marker' });
    expect(again.batches.flat()).toEqual([marker.id]);
    const rows = await effectsOf(inboxName);
    expect(new Set(rows.map((row) => row.event_id)).size).toBe(rows.length);
  });

  it('when a batch rolls back before its commit, no event of it is lost or applied twice', async () => {
    const topic = await freshTopic();
    const inboxName = `rollback-${randomUUID().slice(0, 8)}`;
    const events = Array.from({ length: 10 }, (_, i) => productEvent(`RB-${i}`));
    await publish(
      topic,
      events.map((event) => toKafkaMessage(event)),
    );
    let failures = 0;
    await startConsumer(topic, inboxName, async (tx, event) => {
      await tx.query('INSERT INTO effect (event_id, sku, consumer) VALUES ($1, $2, $3)', [
        event.id,
        event.type === 'product.updated' ? event.data.sku : '?',
        inboxName,
      ]);
      // A transient failure after half the batch's effects were written (the database
      // dropping the connection): the transaction, inbox rows included, rolls back.
      if (event.id === events[5]!.id && failures === 0) {
        failures += 1;
        throw new Error('connection reset');
      }
    });
    await eventually(async () => (await effectsOf(inboxName)).length === 10, { what: 'every effect' });
    expect((await effectsOf(inboxName)).map((row) => row.sku)).toEqual(events.map((_, i) => `RB-${i}`));
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM inbox WHERE consumer = $1',
      [inboxName],
    );
    expect(rows[0]!.n).toBe(10);
  });

  it('sends a poison message in the middle of a batch to the dead-letter topic and applies the others once', async () => {
    const topic = await freshTopic();
    const inboxName = `poison-${randomUUID().slice(0, 8)}`;
    const before = [productEvent('P-0'), productEvent('P-1')];
    const after = [productEvent('P-3'), productEvent('P-4')];
    const undecodable = { ...toKafkaMessage(productEvent('P-2')), value: '{"not":"a product"}' };
    // And one the handler itself rejects as poison, after it already wrote its effect.
    const rejected = productEvent('REJECT-ME');
    await publish(topic, [
      ...before.map((event) => toKafkaMessage(event)),
      undecodable,
      toKafkaMessage(rejected),
      ...after.map((event) => toKafkaMessage(event)),
    ]);

    await startConsumer(topic, inboxName, async (tx, event) => {
      const sku = event.type === 'product.updated' ? event.data.sku : '?';
      await tx.query('INSERT INTO effect (event_id, sku, consumer) VALUES ($1, $2, $3)', [
        event.id,
        sku,
        inboxName,
      ]);
      if (sku === 'REJECT-ME') throw new PoisonMessageError('this product cannot be applied');
    });

    await eventually(async () => (await effectsOf(inboxName)).length === 4, { what: 'the healthy effects' });
    const letters = await eventually(
      async () => {
        const read = await readToEnd(kafka, [`${topic}.dlq`], 20_000, 'inbox-batch');
        return read.length === 2 ? read : undefined;
      },
      { what: 'two dead letters' },
    );
    expect((await effectsOf(inboxName)).map((row) => row.sku)).toEqual(['P-0', 'P-1', 'P-3', 'P-4']);
    const headers = letters.map(({ message }) => String(message.headers?.['x-dlq-error']));
    expect(headers[0]).toMatch(/does not match product.updated/);
    expect(headers[1]).toMatch(/this product cannot be applied/);
    // The rejected event's inbox row rolled back with its effect: a replay after a fix applies it.
    const { rows } = await pool.query('SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2', [
      inboxName,
      rejected.id,
    ]);
    expect(rows).toHaveLength(0);
  });
});
