import { context, type Span } from '@opentelemetry/api';
import type { Consumer, EachMessagePayload } from 'kafkajs';
import type { Logger } from '@surge/logger';
import { runWithContext } from '@surge/logger';
import { fromKafkaMessage, PoisonMessageError, type AnyCloudEvent } from './cloud-event';
import { recordDeadLetter, recordFailedAttempt, startConsumerSpan } from './consumer-tracing';
import { ensureTopics, type Kafka } from './kafka';

type DeadLetter = (
  topic: string,
  message: { key: Buffer | null; value: Buffer | null; headers: Record<string, string | Buffer> },
) => Promise<void>;

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  logger: Logger;
  handle: (event: AnyCloudEvent) => Promise<void>;
  /** Attempts before a failing message goes to `<topic>.dlq`. */
  maxAttempts?: number;
  fromBeginning?: boolean;
  /** Told the source topic of every message moved to its dead-letter topic (a metric). */
  onDeadLetter?: (topic: string) => void;
}

/**
 * A consumer in a group (instances share partitions). Offsets are committed only after
 * `handle` has stored its effect; handlers must be idempotent (an inbox row in the same
 * transaction), because a crash before the commit redelivers. A message that keeps
 * failing, or can never be decoded, is copied to `<topic>.dlq` with the error, and the
 * partition moves on.
 *
 * Each message is handled inside a `<topic> process` span whose parent is the producer's
 * context from the `traceparent` header; dead-letter copies keep that header, so a
 * replayed message joins the original trace again.
 */
/** Pause before a crashed consumer that kafkajs gave up on is started again. */
const RESTART_AFTER_CRASH_MS = 5_000;

export class EventConsumer {
  private consumer: Consumer | undefined;

  constructor(private readonly options: EventConsumerOptions) {}

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
    await this.consumer.run({
      autoCommit: true,
      eachMessage: (payload) =>
        this.process(payload, async (topic, message) => {
          await producer.send({ topic, acks: -1, messages: [message] });
        }),
    });
    this.stopProducer = () => producer.disconnect();
  }

  private stopProducer: () => Promise<void> = async () => undefined;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.consumer?.disconnect();
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

  private async process(payload: EachMessagePayload, deadLetter: DeadLetter): Promise<void> {
    const traced = startConsumerSpan(payload, this.options.groupId);
    try {
      await context.with(traced.context, () => this.handleOrDeadLetter(payload, deadLetter, traced.span));
    } finally {
      traced.span.end();
    }
  }

  private async handleOrDeadLetter(
    { topic, partition, message }: EachMessagePayload,
    deadLetter: DeadLetter,
    span: Span,
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
        await runWithContext({ requestId: event.id }, () => this.options.handle(event));
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
