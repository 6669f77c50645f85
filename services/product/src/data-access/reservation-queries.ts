import { withTransaction, type Pool, type Queryable } from '@surge/postgres';
import type { Product } from '../domain/product';
import type { Reservation, ReservationStatus } from '../domain/reservation';
import { appendProductUpdated, productColumns, toProduct, type ProductRow } from './product-rows';

/** Thrown inside a transaction to roll it back on purpose and hand an outcome to the caller. */
export class Rollback<T> extends Error {
  constructor(readonly outcome: T) {
    super('transaction rolled back on purpose');
  }
}

/** withTransaction, where `throw new Rollback(outcome)` means "undo everything, answer this". */
export async function inTransaction<T>(pool: Pool, work: (tx: Queryable) => Promise<T>): Promise<T> {
  try {
    return await withTransaction(pool, work);
  } catch (error) {
    if (error instanceof Rollback) return error.outcome as T;
    throw error;
  }
}

export async function loadReservation(db: Queryable, orderId: string): Promise<Reservation | undefined> {
  const head = await db.query<{ status: ReservationStatus }>(
    'SELECT status FROM reservations WHERE order_id = $1',
    [orderId],
  );
  const status = head.rows[0]?.status;
  if (!status) return undefined;
  const { rows } = await db.query<{
    product_id: string;
    quantity: number;
    price_cents: number;
    currency: string;
  }>(
    `SELECT product_id, quantity, price_cents, currency FROM reservation_lines
      WHERE order_id = $1 ORDER BY line_no`,
    [orderId],
  );
  const items = rows.map((row) => ({
    productId: row.product_id,
    quantity: row.quantity,
    priceCents: row.price_cents,
    currency: row.currency,
  }));
  return { orderId, status, items };
}

type Counter = 'stock' | 'reserved' | 'sold';

/**
 * Moves every line of a reservation from one inventory counter to another (reserved ->
 * sold on commit; reserved -> stock on release; sold -> stock on return).
 *
 * Locks first, in product id order: the same order every reservation, commit and release
 * uses, so two transactions touching the same products can never wait on each other in
 * a cycle (no deadlocks). A unit leaves one counter exactly as it enters the other, so
 * `stock + reserved + sold` per product is unchanged (the CHECK constraint would refuse
 * anything else). When available stock changes, the product's version is bumped and
 * `product.updated` is appended in the same transaction.
 */
export async function moveReservedUnits(
  tx: Queryable,
  orderId: string,
  from: Counter,
  to: Counter,
): Promise<Product[]> {
  await tx.query(
    `SELECT p.id FROM products p JOIN reservation_lines l ON l.product_id = p.id
      WHERE l.order_id = $1 ORDER BY p.id FOR UPDATE OF p`,
    [orderId],
  );
  const visible = from === 'stock' || to === 'stock';
  const { rows } = await tx.query<ProductRow>(
    `UPDATE products p
        SET ${from} = p.${from} - l.quantity, ${to} = p.${to} + l.quantity
            ${visible ? ', version = p.version + 1, updated_at = now()' : ''}
       FROM reservation_lines l
      WHERE l.order_id = $1 AND p.id = l.product_id
  RETURNING ${productColumns('p')}`,
    [orderId],
  );
  const changed = rows.map(toProduct);
  if (visible) for (const product of changed) await appendProductUpdated(tx, product);
  return changed;
}
