import { trace } from '@opentelemetry/api';
import { eventSchemas, topicOf, type EventData, type EventType } from '@surge/contracts';
import { newEvent, type CloudEvent } from './cloud-event';
import { activeTraceparent } from './trace-context';

/** The columns of one outbox row, ready to be bound as statement parameters. */
export interface OutboxRow<T extends EventType = EventType> {
  event: CloudEvent<T>;
  topic: string;
  /** JSON text of the data and of the Kafka headers kept with the row. */
  data: string;
  headers: string;
}

export interface OutboxInput<T extends EventType> {
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
}

/**
 * Builds an outbox row without writing it, so a repository can insert it in the same
 * statement as the change it announces (one round trip instead of two). The data is
 * validated now: a malformed event fails the use case, not a consumer. Without an
 * explicit `traceparent`, the active trace context is kept, so the relay's publish and
 * every consumer's work join the request's trace.
 */
export function prepareOutboxRow<T extends EventType>(input: OutboxInput<T>): OutboxRow<T> {
  const data = eventSchemas[input.type].parse(input.data) as EventData<T>;
  const event: CloudEvent<T> = newEvent(input.type, input.source, input.subject, data);
  const traceparent = input.traceparent ?? activeTraceparent();
  if (traceparent) event.traceparent = traceparent;
  return {
    event,
    topic: input.topic ?? topicOf[input.type],
    data: JSON.stringify(data),
    headers: JSON.stringify(traceparent ? { traceparent } : {}),
  };
}

/**
 * `INSERT INTO outbox ... SELECT ... FROM unnest(...)` for any number of rows, with its
 * nine array parameters numbered from `firstParameter`, to embed in a caller's statement
 * (a CTE). `where` gates the insert on the rest of the statement (e.g. `EXISTS (SELECT 1
 * FROM moved)`): an event exists if and only if the change it announces was written.
 */
export function outboxInsert(
  rows: OutboxRow[],
  firstParameter: number,
  where = 'true',
): { sql: string; values: unknown[] } {
  const p = (i: number) => `$${firstParameter + i}`;
  return {
    sql: `INSERT INTO outbox (id, topic, message_key, event_type, source, subject, data, headers, created_at)
          SELECT * FROM unnest(${p(0)}::uuid[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[],
                               ${p(5)}::text[], ${p(6)}::jsonb[], ${p(7)}::jsonb[], ${p(8)}::timestamptz[])
           WHERE ${where}`,
    values: [
      rows.map((row) => row.event.id),
      rows.map((row) => row.topic),
      rows.map((row) => row.event.subject),
      rows.map((row) => row.event.type),
      rows.map((row) => row.event.source),
      rows.map((row) => row.event.subject),
      rows.map((row) => row.data),
      rows.map((row) => row.headers),
      rows.map((row) => row.event.time),
    ],
  };
}

/** Marks the rows on the active span once their statement committed (as appendToOutbox does). */
export function traceOutboxRows(rows: OutboxRow[]): void {
  const span = trace.getActiveSpan();
  for (const row of rows) {
    span?.addEvent('outbox.append', {
      'messaging.message.id': row.event.id,
      'messaging.destination.name': row.topic,
      'surge.event.type': row.event.type,
    });
  }
}
