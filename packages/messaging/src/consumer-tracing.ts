import { SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { EachMessagePayload } from 'kafkajs';
import { kafkaHeader } from './cloud-event';
import { contextFromTraceparent, messagingTracer } from './trace-context';

export interface ConsumerSpan {
  span: Span;
  /** The span inside the producer's context: what `handle` runs in. */
  context: Context;
}

/**
 * A CONSUMER span for one message, child of the `traceparent` it carries (the relay's
 * publish span), so a consumer's work (the receipt email, its SQL, its HTTP calls) sits
 * in the trace of the checkout that caused it. Headers are read raw, before decoding, so
 * a poison message still gets its span.
 */
export function startConsumerSpan(
  { topic, partition, message }: Pick<EachMessagePayload, 'topic' | 'partition' | 'message'>,
  groupId: string,
): ConsumerSpan {
  const parent = contextFromTraceparent(kafkaHeader(message.headers, 'traceparent'));
  const eventId = kafkaHeader(message.headers, 'ce_id');
  const eventType = kafkaHeader(message.headers, 'ce_type');
  const span = messagingTracer().startSpan(
    `${topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.destination.partition.id': String(partition),
        'messaging.consumer.group.name': groupId,
        'messaging.operation.type': 'process',
        'messaging.kafka.offset': Number(message.offset),
        ...(eventId ? { 'messaging.message.id': eventId } : {}),
        ...(message.key ? { 'messaging.kafka.message.key': message.key.toString() } : {}),
        ...(eventType ? { 'surge.event.type': eventType } : {}),
      },
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/**
 * One CONSUMER span for a partition batch applied in one transaction: the child of the
 * first message's producer context, linked to every message's, so each event's trace
 * leads to the batch that applied it.
 */
export function startBatchSpan(
  messages: ReadonlyArray<Pick<EachMessagePayload, 'topic' | 'partition' | 'message'>>,
  groupId: string,
): ConsumerSpan {
  const first = messages[0]!;
  const contexts = messages.map(({ message }) =>
    contextFromTraceparent(kafkaHeader(message.headers, 'traceparent')),
  );
  const links = contexts.flatMap((linked) => {
    const spanContext = trace.getSpanContext(linked);
    return spanContext ? [{ context: spanContext }] : [];
  });
  const parent = contexts[0]!;
  const span = messagingTracer().startSpan(
    `${first.topic} process`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': first.topic,
        'messaging.destination.partition.id': String(first.partition),
        'messaging.consumer.group.name': groupId,
        'messaging.operation.type': 'process',
        'messaging.batch.message_count': messages.length,
        'messaging.kafka.offset': Number(first.message.offset),
      },
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/** A failed attempt that will be retried: visible on the span without failing it. */
export function recordFailedAttempt(span: Span, attempt: number, error: unknown): void {
  span.addEvent('event.handling_failed', {
    attempt,
    'exception.message': error instanceof Error ? error.message : String(error),
  });
}

/** The message went to `<topic>.dlq`: the span fails with the last error. */
export function recordDeadLetter(span: Span, dlqTopic: string, error: unknown): void {
  if (error !== undefined) span.recordException(error instanceof Error ? error : String(error));
  span.addEvent('event.dead_lettered', { 'messaging.destination.name': dlqTopic });
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: `moved to ${dlqTopic}: ${error instanceof Error ? error.message : String(error)}`,
  });
}
