import type { Queryable } from '@surge/postgres';

/**
 * The claim of one event by one consumer ($1 consumer, $2 event id): a row only when the
 * pair is new. A consumer that claims inside a larger statement (a CTE) appends to it.
 */
export const CLAIM_INBOX_ENTRY_SQL =
  'INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING';

/**
 * Records that `consumer` applied `eventId`, inside the transaction of the effect.
 * Returns false when it was already recorded: the caller then skips the effect, so a
 * redelivered event changes nothing (at-most-once effect on top of at-least-once delivery).
 */
export async function claimInboxEntry(tx: Queryable, consumer: string, eventId: string): Promise<boolean> {
  const result = await tx.query(CLAIM_INBOX_ENTRY_SQL, [consumer, eventId]);
  return result.rowCount === 1;
}
