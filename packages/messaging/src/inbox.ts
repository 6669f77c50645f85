import type { Queryable } from '@surge/postgres';

/**
 * Records that `consumer` applied `eventId`, inside the transaction of the effect.
 * Returns false when it was already recorded: the caller then skips the effect, so a
 * redelivered event changes nothing (at-most-once effect on top of at-least-once delivery).
 */
export async function claimInboxEntry(tx: Queryable, consumer: string, eventId: string): Promise<boolean> {
  const result = await tx.query(
    'INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [consumer, eventId],
  );
  return result.rowCount === 1;
}
