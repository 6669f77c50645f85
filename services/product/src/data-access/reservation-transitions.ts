import type { Queryable } from '@surge/postgres';
import type { CommitOutcome, ReleaseOutcome, ReservationStatus } from '../domain/reservation';
import { moveReservedUnits } from './reservation-queries';

/**
 * Commit and release. Each starts with a conditional UPDATE of the reservation row: the
 * row lock serialises a commit and a release racing for the same order, and only the
 * first to arrive finds the status it expects, so units move at most once. Dying after
 * that UPDATE but before COMMIT rolls it back; the caller's retry does the transition.
 *
 * A commit (the checkout's last call) is one statement, atomic by itself: the reservation
 * row first, then its products locked in id order (the order every reservation, commit
 * and release locks in: no deadlocks), then reserved units become sold. Available stock
 * is unchanged, so no version, no event.
 */
export async function commitOrder(db: Queryable, orderId: string): Promise<CommitOutcome> {
  const { rows } = await db.query<{ committed: boolean }>(
    `WITH committed AS (
       UPDATE reservations SET status = 'COMMITTED', updated_at = now()
        WHERE order_id = $1 AND status = 'RESERVED' RETURNING order_id
     ), locked AS MATERIALIZED (
       SELECT p.id FROM products p JOIN reservation_lines l ON l.product_id = p.id
        WHERE l.order_id = $1 AND EXISTS (SELECT 1 FROM committed)
        ORDER BY p.id FOR UPDATE OF p
     ), sold AS (
       UPDATE products p SET reserved = p.reserved - l.quantity, sold = p.sold + l.quantity
         FROM reservation_lines l
        WHERE l.order_id = $1 AND p.id = l.product_id AND p.id IN (SELECT id FROM locked)
       RETURNING p.id
     )
     SELECT EXISTS (SELECT 1 FROM committed) AS committed, (SELECT count(*) FROM sold) AS sold`,
    [orderId],
  );
  if (rows[0]?.committed) return { kind: 'committed' };
  const current = await statusOf(db, orderId);
  if (!current) return { kind: 'not-found' };
  return current.status === 'COMMITTED'
    ? { kind: 'committed' }
    : { kind: 'conflict', status: current.status };
}

export async function releaseOrder(tx: Queryable, orderId: string): Promise<ReleaseOutcome> {
  // Two rounds at most: see the tombstone step below.
  for (let round = 0; round < 2; round += 1) {
    const moved = await tx.query<{ status: 'RELEASED' | 'RETURNED' }>(
      `UPDATE reservations
          SET status = CASE status WHEN 'RESERVED' THEN 'RELEASED' ELSE 'RETURNED' END, updated_at = now()
        WHERE order_id = $1 AND status IN ('RESERVED', 'COMMITTED')
    RETURNING status`,
      [orderId],
    );
    const status = moved.rows[0]?.status;
    if (status) {
      const changed = await moveReservedUnits(
        tx,
        orderId,
        status === 'RELEASED' ? 'reserved' : 'sold',
        'stock',
      );
      return { status, changed };
    }
    // Nothing to release. Leave a tombstone (RELEASED, no lines) so that a reserve for
    // this order still on its way (the saga gave up waiting for it) finds the order id
    // taken and holds nothing: otherwise its units would stay reserved forever.
    const tombstone = await tx.query(
      `INSERT INTO reservations (order_id, status) VALUES ($1, 'RELEASED') ON CONFLICT (order_id) DO NOTHING`,
      [orderId],
    );
    if (tombstone.rowCount === 1) return { status: 'NONE', changed: [] };
    const current = await statusOf(tx, orderId);
    if (current?.status === 'RELEASED')
      return { status: current.hasLines ? 'RELEASED' : 'NONE', changed: [] };
    if (current?.status === 'RETURNED') return { status: 'RETURNED', changed: [] };
    // A reservation committed between the UPDATE and the INSERT (the INSERT waited for
    // it): the next round releases it.
  }
  throw new Error(`reservation ${orderId} kept changing while being released`);
}

async function statusOf(
  tx: Queryable,
  orderId: string,
): Promise<{ status: ReservationStatus; hasLines: boolean } | undefined> {
  const { rows } = await tx.query<{ status: ReservationStatus; has_lines: boolean }>(
    `SELECT status, EXISTS (SELECT 1 FROM reservation_lines WHERE order_id = $1) AS has_lines
       FROM reservations WHERE order_id = $1`,
    [orderId],
  );
  return rows[0] && { status: rows[0].status, hasLines: rows[0].has_lines };
}
