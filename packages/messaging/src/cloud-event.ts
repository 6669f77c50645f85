import { randomUUID } from 'node:crypto';
import type { IHeaders, Message } from 'kafkajs';
import { eventSchemas, isEventType, type EventData, type EventType } from '@surge/contracts';

/** A CloudEvents 1.0 event as Surge code sees it. */
export interface CloudEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  source: string;
  subject: string;
  time: string;
  data: EventData<T>;
  /** W3C trace context of the transaction that produced the event. */
  traceparent?: string;
}

/** Any event of the catalogue; checking `type` narrows `data` to that event's shape. */
export type AnyCloudEvent = { [K in EventType]: CloudEvent<K> }[EventType];

export function newEvent<T extends EventType>(
  type: T,
  source: string,
  subject: string,
  data: EventData<T>,
): CloudEvent<T> {
  return { id: randomUUID(), type, source, subject, time: new Date().toISOString(), data };
}

/**
 * Kafka binary mode: attributes as `ce_*` headers, JSON data as the value, the
 * aggregate id (subject) as the key so one aggregate's events share a partition.
 */
export function toKafkaMessage(event: CloudEvent): Message {
  const headers: IHeaders = {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_source: event.source,
    ce_type: event.type,
    ce_time: event.time,
    ce_subject: event.subject,
    'content-type': 'application/json',
  };
  if (event.traceparent) headers.traceparent = event.traceparent;
  return { key: event.subject, value: JSON.stringify(event.data), headers };
}

export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

/** A Kafka header as a string (the first value when repeated). */
export function kafkaHeader(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** Decodes and validates; a message that can never be handled throws PoisonMessageError. */
export function fromKafkaMessage(message: { headers?: IHeaders; value: Buffer | null }): AnyCloudEvent {
  const type = kafkaHeader(message.headers, 'ce_type');
  const id = kafkaHeader(message.headers, 'ce_id');
  if (!type || !id || kafkaHeader(message.headers, 'ce_specversion') !== '1.0') {
    throw new PoisonMessageError('not a CloudEvents 1.0 binary-mode message');
  }
  if (!isEventType(type)) throw new PoisonMessageError(`unknown event type ${type}`);
  let raw: unknown;
  try {
    raw = JSON.parse(message.value?.toString('utf8') ?? '');
  } catch {
    throw new PoisonMessageError('event data is not JSON');
  }
  const parsed = eventSchemas[type].safeParse(raw);
  if (!parsed.success)
    throw new PoisonMessageError(`event data does not match ${type}: ${parsed.error.message}`);
  const event = {
    id,
    type,
    source: kafkaHeader(message.headers, 'ce_source') ?? 'unknown',
    subject: kafkaHeader(message.headers, 'ce_subject') ?? '',
    time: kafkaHeader(message.headers, 'ce_time') ?? new Date(0).toISOString(),
    data: parsed.data,
  } as AnyCloudEvent;
  const traceparent = kafkaHeader(message.headers, 'traceparent');
  if (traceparent) event.traceparent = traceparent;
  return event;
}
