import type { Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '@surge/logger';
import { toKafkaMessage, type CloudEvent } from './cloud-event';
import type { Kafka } from './kafka';
import { endPublishSpans, startPublishSpan, type PublishSpan, type PublishedRow } from './relay-tracing';

export interface OutboxRelayOptions {
  pool: Pool;
  kafka: Kafka;
  logger: Logger;
  /** Advisory-lock key; one relay per service database publishes at a time. */
  lockKey: string;
  /** Safety-net poll when no notification arrives (lost LISTEN connection, etc.). */
  pollIntervalMs?: number;
  batchSize?: number;
}

interface OutboxRow extends PublishedRow {
  source: string;
  subject: string | null;
  data: unknown;
}

/**
 * Publishes outbox rows to Kafka in `seq` order and marks them published.
 *
 * - Wake-up: LISTEN "outbox" (the insert trigger notifies at commit), so an event
 *   reaches Kafka within milliseconds; a slow poll covers missed notifications.
 * - One publisher at a time per database: a session advisory lock elects the leader,
 *   so per-aggregate order holds and no two instances publish the same row at once.
 * - At least once: a crash between send and mark republishes the batch; the
 *   idempotent producer and consumers' inboxes make that harmless.
 */
export class OutboxRelay {
  private producer: Producer | undefined;
  private listener: PoolClient | undefined;
  private running = false;
  private wake: (() => void) | undefined;
  /**
   * A notification arrived since the last claim began. A NOTIFY that lands while a claim
   * or a send is in flight would otherwise find no sleep to end, and its event would wait
   * for the next poll (a second) whenever that claim had found nothing.
   */
  private notified = false;
  /** Sent to Kafka, not marked yet: the next claim marks them in the same statement. */
  private sent: string[] = [];
  private loop: Promise<void> | undefined;

  constructor(private readonly options: OutboxRelayOptions) {}

  async start(): Promise<void> {
    this.producer = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.markSent().catch((error: unknown) =>
      this.options.logger.warn(
        { err: error },
        'could not mark the last batch published; it will be sent again',
      ),
    );
    await this.producer?.disconnect();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.leadAndPublish();
      } catch (error) {
        this.options.logger.warn({ err: error }, 'outbox relay failed; retrying');
        await this.sleep(1_000);
      }
    }
  }

  /** Holds the leader lock on a dedicated connection that also LISTENs. */
  private async leadAndPublish(): Promise<void> {
    const client = await this.options.pool.connect();
    this.listener = client;
    let broken = false;
    const onError = () => {
      broken = true;
      this.wake?.();
    };
    client.on('error', onError);
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
        [this.options.lockKey],
      );
      if (!rows[0]?.locked) {
        // Another instance leads; check again later in case it dies.
        await this.sleep(this.options.pollIntervalMs ?? 1_000);
        return;
      }
      await client.query('LISTEN outbox');
      while (this.running && !broken) {
        const published = await this.publishBatch();
        if (published === 0 && !this.notified) await this.sleep(this.options.pollIntervalMs ?? 1_000);
      }
    } finally {
      client.off('error', onError);
      // Releasing with an error destroys the connection, which also frees the lock.
      client.release(true);
      this.listener = undefined;
    }
  }

  /**
   * Sends one batch in order; returns how many rows it published. The claim also marks
   * the previous batch published (one statement, one round trip per batch instead of
   * two): its SELECT sees the rows as they were before that UPDATE, so it leaves them
   * out by id. Rows sent but not marked when the relay dies are sent again by the next
   * leader, as before (at least once).
   */
  private async publishBatch(): Promise<number> {
    this.notified = false;
    const { rows } = await this.options.pool.query<OutboxRow>(
      `WITH marked AS (
         UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($2::uuid[])
       )
       SELECT id, seq, topic, message_key, event_type, source, subject, data, headers, created_at
         FROM outbox WHERE published_at IS NULL AND NOT (id = ANY($2::uuid[])) ORDER BY seq LIMIT $1`,
      [this.options.batchSize ?? 200, this.sent],
    );
    this.sent = [];
    if (rows.length === 0 || !this.producer) return 0;
    const byTopic = new Map<string, ReturnType<typeof toKafkaMessage>[]>();
    const spans: PublishSpan[] = [];
    for (const row of rows) {
      const publish = startPublishSpan(row, rows.length);
      spans.push(publish);
      const event = {
        id: row.id,
        type: row.event_type,
        source: row.source,
        subject: row.subject ?? row.message_key,
        time: row.created_at.toISOString(),
        data: row.data,
        ...(publish.traceparent ? { traceparent: publish.traceparent } : {}),
      } as CloudEvent;
      const messages = byTopic.get(row.topic) ?? [];
      messages.push(toKafkaMessage(event));
      byTopic.set(row.topic, messages);
    }
    // acks=-1 with the idempotent producer: a row is marked only once Kafka has it durably.
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      endPublishSpans(spans);
    } catch (error) {
      endPublishSpans(spans, error);
      throw error;
    }
    this.sent = rows.map((row) => row.id);
    return rows.length;
  }

  private async markSent(): Promise<void> {
    if (this.sent.length === 0) return;
    await this.options.pool.query(
      'UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])',
      [this.sent],
    );
    this.sent = [];
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
