import type { Pool, Queryable } from '@surge/postgres';
import type { InventoryStore } from '../domain/ports';
import type { Product } from '../domain/product';
import type { ReservationLine, ReservationLineRequest, ReserveOutcome } from '../domain/reservation';
import { appendProductUpdated, productColumns, toProduct, type ProductRow } from './product-rows';
import { commitOrder, releaseOrder } from './reservation-transitions';
import { inTransaction, loadReservation, Rollback } from './reservation-queries';

interface LockedProduct {
  id: string;
  stock: number;
  price_cents: number;
  currency: string;
}

/**
 * Reservations: reserve, commit and release, each one transaction. If the process (or
 * its connection) dies at any step before COMMIT, Postgres rolls the whole transaction
 * back: no claim, no moved unit, no event. If it dies after COMMIT, before answering,
 * the caller retries with the same order id and gets the stored outcome, not a second one.
 */
export function createInventoryRepository(pool: Pool): InventoryStore {
  return {
    reserve: (orderId, lines) => inTransaction(pool, (tx) => reserve(tx, orderId, lines)),
    commit: (orderId) => inTransaction(pool, (tx) => commitOrder(tx, orderId)),
    release: (orderId) => inTransaction(pool, (tx) => releaseOrder(tx, orderId)),
  };
}

async function reserve(
  tx: Queryable,
  orderId: string,
  lines: readonly ReservationLineRequest[],
): Promise<ReserveOutcome> {
  if (!(await claimOrder(tx, orderId))) {
    const existing = await loadReservation(tx, orderId);
    if (!existing) throw new Error(`reservation ${orderId} conflicted but cannot be read`);
    return { kind: 'existing', reservation: existing };
  }
  const locked = await lockAndCheck(tx, lines);
  const changed = await moveToReserved(tx, lines);
  const items = await recordLines(tx, orderId, lines, locked);
  // 5. Announce the new stock. Invariant: a product.updated exists if and only if the
  //    change committed (outbox row in this transaction; the relay publishes it later).
  //    Crash after COMMIT, before the answer: the retry gets this reservation (201 again)
  //    and the relay still publishes the event, from the table, whenever it runs.
  for (const product of changed) await appendProductUpdated(tx, product);
  return { kind: 'reserved', reservation: { orderId, status: 'RESERVED', items }, changed };
}

/**
 * 1. Claim the order id. Invariant: one reservation per order (idempotency). A concurrent
 *    call with the same id blocks on the primary key until this transaction ends, then
 *    finds the row (and answers it) or, if we rolled back, claims the id itself.
 *    Crash right after: the uncommitted claim dies with the connection; a retry claims again.
 */
async function claimOrder(tx: Queryable, orderId: string): Promise<boolean> {
  const claim = await tx.query(
    `INSERT INTO reservations (order_id, status) VALUES ($1, 'RESERVED') ON CONFLICT (order_id) DO NOTHING`,
    [orderId],
  );
  return claim.rowCount === 1;
}

/**
 * 2. Lock every product, in id order (rows are locked in the order ORDER BY emits them).
 *    Invariants: no deadlock between reservations sharing products, because everyone
 *    locks in the same order; and what we check here cannot change before we commit.
 *    Unknown or short products, or lines in two currencies, roll everything back (all
 *    or none).
 *    Crash right after: the locks are released with the connection; nothing changed.
 */
async function lockAndCheck(
  tx: Queryable,
  lines: readonly ReservationLineRequest[],
): Promise<Map<string, LockedProduct>> {
  const { rows } = await tx.query<LockedProduct>(
    `SELECT id, stock, price_cents, currency FROM products
      WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [lines.map((line) => line.productId)],
  );
  const locked = new Map(rows.map((row) => [row.id, row]));
  const unknown = lines.filter((line) => !locked.has(line.productId)).map((line) => line.productId);
  if (unknown.length > 0)
    throw new Rollback<ReserveOutcome>({ kind: 'unknown-products', productIds: unknown });
  // Read under the lock, so a currency changed a moment ago is the one compared: an
  // order's total adds its lines up, which only means something in one currency.
  if (new Set(rows.map((row) => row.currency)).size > 1) {
    const currencies = Object.fromEntries(
      lines.map((line) => [line.productId, locked.get(line.productId)!.currency]),
    );
    throw new Rollback<ReserveOutcome>({ kind: 'currency-mismatch', currencies });
  }
  const short = lines.filter((line) => locked.get(line.productId)!.stock < line.quantity);
  if (short.length > 0) throw insufficient(short.map((line) => line.productId));
  return locked;
}

/**
 * 3. Move the units from stock to reserved, each line a conditional update. Invariant:
 *    stock never goes negative however many buyers race (the WHERE re-checks under the
 *    lock, the CHECK constraints are the last line). A line that did not apply rolls
 *    back every line; the unit moves between counters, so their sum is unchanged.
 *    Crash right after: the moved units roll back; no buyer ever saw them gone.
 */
async function moveToReserved(tx: Queryable, lines: readonly ReservationLineRequest[]): Promise<Product[]> {
  const { rows } = await tx.query<ProductRow>(
    `UPDATE products p
        SET stock = p.stock - line.quantity, reserved = p.reserved + line.quantity,
            version = p.version + 1, updated_at = now()
       FROM unnest($1::uuid[], $2::integer[]) AS line(product_id, quantity)
      WHERE p.id = line.product_id AND p.stock >= line.quantity
  RETURNING ${productColumns('p')}`,
    [lines.map((line) => line.productId), lines.map((line) => line.quantity)],
  );
  if (rows.length !== lines.length) {
    const applied = new Set(rows.map((row) => row.id));
    throw insufficient(lines.filter((line) => !applied.has(line.productId)).map((line) => line.productId));
  }
  return rows.map(toProduct);
}

/**
 * 4. Record the lines with the prices read under the lock. Invariants: commit and
 *    release later move exactly these units; the order charges exactly these prices.
 *    Crash right after: rolled back with the rest; the retry reserves from scratch.
 */
async function recordLines(
  tx: Queryable,
  orderId: string,
  lines: readonly ReservationLineRequest[],
  locked: Map<string, LockedProduct>,
): Promise<ReservationLine[]> {
  const items = lines.map((line) => {
    const product = locked.get(line.productId)!;
    return { ...line, priceCents: product.price_cents, currency: product.currency };
  });
  await tx.query(
    `INSERT INTO reservation_lines (order_id, line_no, product_id, quantity, price_cents, currency)
     SELECT $1, line.no, line.product_id, line.quantity, line.price_cents, line.currency
       FROM unnest($2::uuid[], $3::integer[], $4::integer[], $5::text[]) WITH ORDINALITY
            AS line(product_id, quantity, price_cents, currency, no)`,
    [
      orderId,
      items.map((item) => item.productId),
      items.map((item) => item.quantity),
      items.map((item) => item.priceCents),
      items.map((item) => item.currency),
    ],
  );
  return items;
}

function insufficient(productIds: string[]): Rollback<ReserveOutcome> {
  return new Rollback<ReserveOutcome>({ kind: 'insufficient-stock', productIds });
}
