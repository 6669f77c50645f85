import { eventSchemas, topicOf, type EventData, type EventType } from '@surge/contracts';
import type { Queryable } from '@surge/postgres';
import { newEvent, type CloudEvent } from './cloud-event';

/**
 * Appends an event to the outbox inside the caller's transaction. Invariant: the event
 * exists if and only if the change it describes committed; the relay publishes it later.
 * The data is validated now, so a malformed event fails the use case, not a consumer.
 */
export async function appendToOutbox<T extends EventType>(
  tx: Queryable,
  input: { type: T; source: string; subject: string; data: EventData<T>; traceparent?: string },
): Promise<CloudEvent<T>> {
  const data = eventSchemas[input.type].parse(input.data) as EventData<T>;
  const event = newEvent(input.type, input.source, input.subject, data);
  const headers = input.traceparent ? { traceparent: input.traceparent } : {};
  await tx.query(
    `INSERT INTO outbox (id, topic, message_key, event_type, source, subject, data, headers, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      event.id,
      topicOf[input.type],
      input.subject,
      input.type,
      input.source,
      input.subject,
      JSON.stringify(data),
      JSON.stringify(headers),
      event.time,
    ],
  );
  return event;
}
