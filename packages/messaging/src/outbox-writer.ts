import type { EventType } from '@surge/contracts';
import type { Queryable } from '@surge/postgres';
import type { CloudEvent } from './cloud-event';
import { prepareOutboxRow, traceOutboxRows, type OutboxInput } from './outbox-rows';

/**
 * Appends an event to the outbox inside the caller's transaction. Invariant: the event
 * exists if and only if the change it describes committed; the relay publishes it later.
 * The data is validated now, so a malformed event fails the use case, not a consumer.
 *
 * Without an explicit `traceparent`, the active trace context is stored with the row, so
 * the relay's publish and every consumer's work join the trace of the request that made
 * the change (a checkout and its emails are one trace). A hot path that writes the event
 * in the same statement as its change uses prepareOutboxRow and outboxInsert instead.
 */
export async function appendToOutbox<T extends EventType>(
  tx: Queryable,
  input: OutboxInput<T>,
): Promise<CloudEvent<T>> {
  const row = prepareOutboxRow(input);
  const { event } = row;
  await tx.query(
    `INSERT INTO outbox (id, topic, message_key, event_type, source, subject, data, headers, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      event.id,
      row.topic,
      event.subject,
      event.type,
      event.source,
      event.subject,
      row.data,
      row.headers,
      event.time,
    ],
  );
  traceOutboxRows([row]);
  return event;
}
