import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { contextFromTraceparent, messagingTracer, traceparentOf } from './trace-context';

/** What the relay knows about a row when it publishes it. */
export interface PublishedRow {
  id: string;
  seq: string;
  topic: string;
  message_key: string;
  event_type: string;
  headers: Record<string, string>;
  created_at: Date;
}

export interface PublishSpan {
  span: Span;
  /** Goes on the Kafka message: the publish span's own context, so consumers become its children. */
  traceparent: string | undefined;
}

/**
 * A PRODUCER span for one row, child of the context stored when the row was written
 * (the checkout request), not of the relay's loop: the publish, and everything consumers
 * do with the event, stay in the trace of the change that caused them. A row written
 * without a context starts a trace of its own.
 */
export function startPublishSpan(row: PublishedRow, batchSize: number, now = Date.now()): PublishSpan {
  const stored = row.headers.traceparent;
  const parent = contextFromTraceparent(stored);
  const span = messagingTracer().startSpan(
    `${row.topic} publish`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': row.topic,
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'publish',
        'messaging.message.id': row.id,
        'messaging.kafka.message.key': row.message_key,
        'messaging.batch.message_count': batchSize,
        'surge.event.type': row.event_type,
        'surge.outbox.seq': row.seq,
        // How long the event waited in the outbox after its transaction: relay lag, or Kafka down.
        'surge.outbox.wait_ms': Math.max(0, now - row.created_at.getTime()),
      },
    },
    parent,
  );
  return { span, traceparent: traceparentOf(span, parent, stored) };
}

/** Ends a batch's spans; a failed send marks each of them, since none was acknowledged. */
export function endPublishSpans(spans: readonly PublishSpan[], error?: unknown): void {
  for (const { span } of spans) {
    if (error !== undefined) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
    }
    span.end();
  }
}
