import { context, type Span } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger } from '@surge/logger';
import { runWithContext } from '@surge/logger';
import { fromKafkaMessage, PoisonMessageError, type AnyCloudEvent } from './cloud-event';
import { recordDeadLetter, recordFailedAttempt, startBatchSpan, startConsumerSpan } from './consumer-tracing';
import { applyInboxBatch, InboxGroupCommit, type InboxBatchHandler } from './inbox-batch';
import { ensureTopics, type Kafka } from './kafka';
import { OffsetCommitter } from './offset-committer';

type DeadLetter = (
  topic: string,
  message: { key: Buffer | null; value: Buffer | null; headers: Record<string, string | Buffer> },
) => Promise<void>;

/** One message of a partition batch, where it came from. */
interface Positioned {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

type Handle = (event: AnyCloudEvent) => Promise<void>;

/**
 * How events are applied: `handle` one at a time (it owns its transactions and side
 * effects, e.g. sending mail after its commit), or `inbox`: a partition batch in one
 * transaction with one inbox statement (inbox-batch.ts), for effects that are rows.
 */
export type EventHandling = { handle: Handle; inbox?: never } | { inbox: InboxBatchHandler; handle?: never };

export type EventConsumerOptions = EventConsumerSettings & EventHandling;

interface EventConsumerSettings {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  logger: Logger;
  /** Attempts before a failing message goes to `<topic>.dlq`. */
  maxAttempts?: number;
  fromBeginning?: boolean;
  /** Told the source topic of every message moved to its dead-letter topic (a metric). */
  onDeadLetter?: (topic: string) => void;
  /**
   * Partitions handled at the same time (order holds within each, as it must for one
   * key's events). With `handle`, 1 by default, so a handler that relies on one event at
   * a time keeps it; with `inbox`, 12: the batches of every partition fetched together
   * are applied in one transaction (InboxGroupCommit), and their offsets committed in
   * one request.
   */
  partitionsConsumedConcurrently?: number;
  /** At most this many messages per inbox transaction (a batch is cut into such chunks). */
  maxBatchSize?: number;
}

/**
 * Least time between two offset commits of one consumer. What a crash or rebalance
 * redelivers grows by at most this window; handlers are idempotent (an inbox row), so it
 * costs a few skipped duplicates, never a lost or doubled effect.
 */
const COMMIT_SPACING_MS = 100;

/** Pause before a crashed consumer that kafkajs gave up on is started again. */
const RESTART_AFTER_CRASH_MS = 5_000;

/**
 * A consumer in a group (instances share partitions), fed a batch per partition (kafkajs
 * `eachBatch`). Offsets are resolved only after a message's effect is stored and committed
 * after that, in the background (OffsetCommitter, at most every COMMIT_SPACING_MS);
 * handlers must be idempotent (an inbox row in the same transaction), because a crash
 * before the offset commit redelivers. With `inbox`, the batches of every partition
 * fetched together are applied in one transaction with their inbox rows: a redelivered
 * batch claims and applies only what was not committed before, so the effect stays
 * exactly once. A message that keeps failing, or can never be decoded, is copied to
 * `<topic>.dlq` with the error, and the partition moves on.
 *
 * Each message is handled inside a `<topic> process` span whose parent is the producer's
 * context from the `traceparent` header; dead-letter copies keep that header, so a
 * replayed message joins the original trace again.
 */
export class EventConsumer {
  private consumer: Consumer | undefined;
  private readonly groupCommit: InboxGroupCommit | undefined;
  private committer: OffsetCommitter | undefined;

  constructor(private readonly options: EventConsumerOptions) {
    this.groupCommit = options.inbox ? new InboxGroupCommit(options.inbox) : undefined;
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
    this.consumer = consumer;
    this.stopped = false;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.options.logger.error(
        { err: payload.error, groupId, restart: payload.restart },
        'consumer crashed',
      );
      // kafkajs restarts a consumer only after a retriable error. After any other (an
      // authorisation refused while the broker's ACLs are still being provisioned, a topic
      // not there yet) it leaves it disconnected for good, and the service would look
      // healthy while it never consumed again: start it afresh after a pause instead.
      if (!payload.restart) this.restartLater(consumer, producer);
    });
    await this.consumer.connect();
    // Subscribing to a topic that does not exist yet lets the broker auto-create it while
    // the group joins: the first assignment can then hold no partition of it, and the
    // consumer waits for the next metadata refresh (minutes) before it reads anything.
    // Creating the topics (and their dead-letter topics) first closes that race.
    await ensureTopics(kafka, topics);
    await this.consumer.subscribe({ topics: [...topics], fromBeginning: this.options.fromBeginning ?? true });
    const deadLetter: DeadLetter = async (topic, message) => {
      await producer.send({ topic, acks: -1, messages: [message] });
    };
    // The committer commits what was resolved in the background, off the path of the next
    // fetch, at most once per COMMIT_SPACING_MS; never for a message whose effect is not
    // stored. kafkajs's auto-commit sent one request after every partition batch: with
    // `handle` (one message per batch at a checkout's rates), one per event.
    const committer = new OffsetCommitter(this.options.logger, COMMIT_SPACING_MS);
    this.committer = committer;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently:
        this.options.partitionsConsumedConcurrently ?? (this.options.inbox ? 12 : 1),
      eachBatch: (payload) => this.processBatch(payload, deadLetter, committer),
    });
    this.stopProducer = () => producer.disconnect();
  }

  private stopProducer: () => Promise<void> = async () => undefined;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    // Offsets are committed while this consumer is still a member of its group: kafkajs's
    // stop leaves the group once the batches in hand are done, and the broker refuses a
    // commit from a member that left (UNKNOWN_MEMBER_ID), so the next owner would be
    // given those events again. What was resolved before the stop is committed first;
    // each batch in hand commits its own before it returns (processBatch).
    try {
      await this.committer?.flush();
      await this.consumer?.stop();
    } finally {
      await this.consumer?.disconnect();
    }
    await this.stopProducer();
  }

  private restartLater(crashed: Consumer, producer: { disconnect(): Promise<void> }): void {
    if (this.stopped || this.consumer !== crashed) return;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.stopped || this.consumer !== crashed) return;
      void (async () => {
        await crashed.disconnect().catch(() => undefined);
        await producer.disconnect().catch(() => undefined);
        if (this.stopped) return;
        await this.start();
        this.options.logger.warn({ groupId: this.options.groupId }, 'consumer restarted after a crash');
      })().catch((error: unknown) => {
        this.options.logger.error({ err: error, groupId: this.options.groupId }, 'consumer restart failed');
        if (this.consumer) this.restartLater(this.consumer, producer);
      });
    }, RESTART_AFTER_CRASH_MS);
    this.restartTimer.unref();
  }

  private async processBatch(
    payload: EachBatchPayload,
    deadLetter: DeadLetter,
    committer: OffsetCommitter,
  ): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    const size = this.options.inbox ? (this.options.maxBatchSize ?? 500) : 1;
    for (let start = 0; start < batch.messages.length; start += size) {
      // Stopping or rebalancing: leave the rest unresolved, it is redelivered to the next owner.
      if (!isRunning() || isStale()) break;
      const chunk = batch.messages
        .slice(start, start + size)
        .map((message) => ({ topic, partition, message }));
      await this.processChunk(chunk, deadLetter);
      resolveOffset(chunk.at(-1)!.message.offset);
      committer.request(payload);
      await heartbeat();
    }
    // Stopping: commit what this batch resolved now, while still a member (stop()). A
    // stale batch's partition has a new owner already; it commits nothing.
    if (!isRunning() && !isStale()) await committer.flush();
  }

  /**
   * Applies a chunk of one partition. With `inbox`, in one transaction; when that fails
   * (a message that cannot be decoded, an apply that throws, the database away), nothing
   * of it was committed, and the chunk goes again one message per transaction with the
   * usual retries, so only the failing message is retried or dead-lettered.
   */
  private async processChunk(chunk: Positioned[], deadLetter: DeadLetter): Promise<void> {
    const { inbox } = this.options;
    if (!inbox) {
      for (const positioned of chunk) await this.processOne(positioned, deadLetter, this.options.handle!);
      return;
    }
    if (await this.tryBatch(chunk)) return;
    const handle: Handle = async (event) => {
      await applyInboxBatch(inbox, [event]);
    };
    for (const positioned of chunk) await this.processOne(positioned, deadLetter, handle);
  }

  /** The whole chunk in one inbox transaction; false when it rolled back. */
  private async tryBatch(chunk: Positioned[]): Promise<boolean> {
    const events: AnyCloudEvent[] = [];
    for (const positioned of chunk) {
      try {
        events.push(fromKafkaMessage(positioned.message));
      } catch {
        return false; // poison: the one-by-one pass dead-letters it
      }
    }
    const traced = startBatchSpan(chunk, this.options.groupId);
    try {
      await context.with(traced.context, () =>
        runWithContext({ requestId: events[0]!.id }, () => this.groupCommit!.apply(events)),
      );
      return true;
    } catch (error) {
      const first = chunk[0]!;
      recordFailedAttempt(traced.span, 1, error);
      this.options.logger.warn(
        { err: error, topic: first.topic, partition: first.partition, offset: first.message.offset },
        'batch rolled back; applying its messages one by one',
      );
      return false;
    } finally {
      traced.span.end();
    }
  }

  private async processOne(positioned: Positioned, deadLetter: DeadLetter, handle: Handle): Promise<void> {
    const traced = startConsumerSpan(positioned, this.options.groupId);
    try {
      await context.with(traced.context, () =>
        this.handleOrDeadLetter(positioned, deadLetter, traced.span, handle),
      );
    } finally {
      traced.span.end();
    }
  }

  private async handleOrDeadLetter(
    { topic, partition, message }: Positioned,
    deadLetter: DeadLetter,
    span: Span,
    handle: Handle,
  ): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const log = this.options.logger.child({ topic, partition, offset: message.offset });
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      let event: AnyCloudEvent;
      try {
        event = fromKafkaMessage(message);
      } catch (error) {
        lastError = error;
        break;
      }
      try {
        await runWithContext({ requestId: event.id }, () => handle(event));
        return;
      } catch (error) {
        lastError = error;
        if (error instanceof PoisonMessageError) break;
        log.warn({ err: error, attempt, eventId: event.id }, 'event handling failed');
        recordFailedAttempt(span, attempt, error);
        // Exponential backoff with full jitter, capped, so a flapping dependency is not hammered.
        await new Promise((resolve) =>
          setTimeout(resolve, Math.random() * Math.min(5_000, 100 * 2 ** attempt)),
        );
      }
    }
    const headers: Record<string, string | Buffer> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      const first = Array.isArray(value) ? value[0] : value;
      if (first !== undefined) headers[name] = first;
    }
    headers['x-dlq-error'] = String(lastError instanceof Error ? lastError.message : lastError).slice(
      0,
      1_000,
    );
    headers['x-dlq-source'] = `${topic}/${partition}/${message.offset}`;
    headers['x-dlq-group'] = this.options.groupId;
    await deadLetter(`${topic}.dlq`, { key: message.key, value: message.value, headers });
    recordDeadLetter(span, `${topic}.dlq`, lastError);
    this.options.onDeadLetter?.(topic);
    log.error({ err: lastError }, 'message moved to the dead-letter topic');
  }
}
