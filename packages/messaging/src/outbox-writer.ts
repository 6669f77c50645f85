import { trace } from '@opentelemetry/api';
import { eventSchemas, topicOf, type EventData, type EventType } from '@surge/contracts';
import type { Queryable } from '@surge/postgres';
import { newEvent, type CloudEvent } from './cloud-event';
import { activeTraceparent } from './trace-context';

/**
 * Appends an event to the outbox inside the caller's transaction. Invariant: the event
 * exists if and only if the change it describes committed; the relay publishes it later.
 * The data is validated now, so a malformed event fails the use case, not a consumer.
 *
 * Without an explicit `traceparent`, the active trace context is stored with the row, so
 * the relay's publish and every consumer's work join the trace of the request that made
 * the change (a checkout and its emails are one trace).
 */
export async function appendToOutbox<T extends EventType>(
  tx: Queryable,
  input: {
    type: T;
    source: string;
    subject: string;
    data: EventData<T>;
    traceparent?: string;
    /**
     * A topic other than the event type's: for benchmarks and tests that must not fill a
     * topic the services and other tests read. Services leave it out.
     */
    topic?: string;
  },
): Promise<CloudEvent<T>> {
  const data = eventSchemas[input.type].parse(input.data) as EventData<T>;
  const event: CloudEvent<T> = newEvent(input.type, input.source, input.subject, data);
  const traceparent = input.traceparent ?? activeTraceparent();
  if (traceparent) event.traceparent = traceparent;
  const headers = traceparent ? { traceparent } : {};
  const topic = input.topic ?? topicOf[input.type];
  await tx.query(
    `INSERT INTO outbox (id, topic, message_key, event_type, source, subject, data, headers, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      event.id,
      topic,
      input.subject,
      input.type,
      input.source,
      input.subject,
      JSON.stringify(data),
      JSON.stringify(headers),
      event.time,
    ],
  );
  trace.getActiveSpan()?.addEvent('outbox.append', {
    'messaging.message.id': event.id,
    'messaging.destination.name': topic,
    'surge.event.type': input.type,
  });
  return event;
}
