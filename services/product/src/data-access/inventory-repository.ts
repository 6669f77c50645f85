import { outboxInsert, traceOutboxRows } from '@surge/messaging';
import type { Pool, Queryable } from '@surge/postgres';
import type { InventoryStore } from '../domain/ports';
import type { ReservationLineRequest, ReserveOutcome } from '../domain/reservation';
import { productColumns, productUpdatedRow, toProduct, type ProductRow } from './product-rows';
import { commitOrder, releaseOrder } from './reservation-transitions';
import { inTransaction, loadReservation, Rollback } from './reservation-queries';

/**
 * Reservations: reserve, commit and release, each one transaction. If the process (or
 * its connection) dies at any step before COMMIT, Postgres rolls the whole transaction
 * back: no claim, no moved unit, no event. If it dies after COMMIT, before answering,
 * the caller retries with the same order id and gets the stored outcome, not a second one.
 *
 * The checkout's two calls are the hot path: a reserve is two statements inside its
 * transaction (claim and lock; move, record and announce), a commit is one statement.
 */
export function createInventoryRepository(pool: Pool): InventoryStore {
  return {
    reserve: (orderId, lines) => inTransaction(pool, (tx) => reserve(tx, orderId, lines)),
    commit: (orderId) => commitOrder(pool, orderId),
    release: (orderId) => inTransaction(pool, (tx) => releaseOrder(tx, orderId)),
  };
}

async function reserve(
  tx: Queryable,
  orderId: string,
  lines: readonly ReservationLineRequest[],
): Promise<ReserveOutcome> {
  const claim = await claimAndLock(tx, orderId, lines);
  if (!claim.claimed) {
    const existing = await loadReservation(tx, orderId);
    if (!existing) throw new Error(`reservation ${orderId} conflicted but cannot be read`);
    return { kind: 'existing', reservation: existing };
  }
  check(lines, claim.locked);
  return moveRecordAndAnnounce(tx, orderId, lines, claim.locked);
}

/**
 * 1. Claim the order id, then 2. lock every product, in id order, in one statement: the
 *    claim is a one-time condition of the lock (it runs first), and the locking CTE is
 *    materialised, so rows are locked in the order its ORDER BY emits them.
 *    Invariants: one reservation per order (idempotency): a concurrent call with the same
 *    id blocks on the primary key until this transaction ends, then finds the row (and
 *    answers it) or, if we rolled back, claims the id itself; no deadlock between
 *    reservations sharing products, because everyone takes the reservation row first and
 *    then the products in the same order; what we check next cannot change before we
 *    commit. Crash right after: the claim and the locks die with the connection.
 */
async function claimAndLock(
  tx: Queryable,
  orderId: string,
  lines: readonly ReservationLineRequest[],
): Promise<{ claimed: boolean; locked: Map<string, ProductRow> }> {
  const { rows } = await tx.query<{ claimed: boolean } & Partial<ProductRow>>(
    `WITH claim AS (
       INSERT INTO reservations (order_id, status) VALUES ($1, 'RESERVED')
       ON CONFLICT (order_id) DO NOTHING RETURNING order_id
     ), locked AS MATERIALIZED (
       SELECT ${productColumns()} FROM products
        WHERE id = ANY($2::uuid[]) AND EXISTS (SELECT 1 FROM claim)
        ORDER BY id FOR UPDATE
     )
     SELECT EXISTS (SELECT 1 FROM claim) AS claimed, locked.*
       FROM (SELECT 1) AS one LEFT JOIN locked ON true`,
    [orderId, lines.map((line) => line.productId)],
  );
  const locked = new Map<string, ProductRow>();
  for (const row of rows) if (row.id) locked.set(row.id, row as ProductRow);
  return { claimed: rows[0]?.claimed === true, locked };
}

/**
 * Unknown or short products, or lines in two currencies, roll everything back (all or
 * none), the claim included. Read under the lock, so a currency changed a moment ago is
 * the one compared: an order's total adds its lines up, which only means something in
 * one currency.
 */
function check(lines: readonly ReservationLineRequest[], locked: Map<string, ProductRow>): void {
  const unknown = lines.filter((line) => !locked.has(line.productId)).map((line) => line.productId);
  if (unknown.length > 0)
    throw new Rollback<ReserveOutcome>({ kind: 'unknown-products', productIds: unknown });
  if (new Set([...locked.values()].map((row) => row.currency)).size > 1) {
    const currencies = Object.fromEntries(
      lines.map((line) => [line.productId, locked.get(line.productId)!.currency]),
    );
    throw new Rollback<ReserveOutcome>({ kind: 'currency-mismatch', currencies });
  }
  const short = lines.filter((line) => locked.get(line.productId)!.stock < line.quantity);
  if (short.length > 0) throw insufficient(short.map((line) => line.productId));
}

/**
 * 3. Move the units from stock to reserved, 4. record the lines with the prices read
 *    under the lock and 5. announce the new stock, in one statement.
 *    Invariants: stock never goes negative however many buyers race (the UPDATE's WHERE
 *    re-checks under the lock, the CHECK constraints are the last line; a line that did
 *    not apply rolls every line back); commit and release later move exactly these
 *    units, and the order charges exactly these prices; a product.updated exists if and
 *    only if the change committed (its outbox row is written in this transaction, from
 *    the locked row, which nobody else can change: the RETURNING rows are checked
 *    against it). Crash after COMMIT, before the answer: the retry gets this reservation
 *    (201 again) and the relay still publishes the events, from the table, whenever it runs.
 */
async function moveRecordAndAnnounce(
  tx: Queryable,
  orderId: string,
  lines: readonly ReservationLineRequest[],
  locked: Map<string, ProductRow>,
): Promise<ReserveOutcome> {
  const items = lines.map((line) => {
    const product = locked.get(line.productId)!;
    return { ...line, priceCents: product.price_cents, currency: product.currency };
  });
  const expected = lines.map((line) => {
    const product = toProduct(locked.get(line.productId)!);
    return { ...product, stock: product.stock - line.quantity, version: product.version + 1 };
  });
  const events = expected.map(productUpdatedRow);
  const outbox = outboxInsert(events, 6);
  const { rows } = await tx.query<ProductRow>(
    `WITH moved AS (
       UPDATE products p
          SET stock = p.stock - line.quantity, reserved = p.reserved + line.quantity,
              version = p.version + 1, updated_at = now()
         FROM unnest($2::uuid[], $3::integer[]) AS line(product_id, quantity)
        WHERE p.id = line.product_id AND p.stock >= line.quantity
    RETURNING ${productColumns('p')}
     ), recorded AS (
       INSERT INTO reservation_lines (order_id, line_no, product_id, quantity, price_cents, currency)
       SELECT $1, line.no, line.product_id, line.quantity, line.price_cents, line.currency
         FROM unnest($2::uuid[], $3::integer[], $4::integer[], $5::text[]) WITH ORDINALITY
              AS line(product_id, quantity, price_cents, currency, no)
     ), announced AS (${outbox.sql})
     SELECT * FROM moved`,
    [
      orderId,
      items.map((item) => item.productId),
      items.map((item) => item.quantity),
      items.map((item) => item.priceCents),
      items.map((item) => item.currency),
      ...outbox.values,
    ],
  );
  const changed = rows.map(toProduct);
  const applied = new Map(changed.map((product) => [product.id, product]));
  const short = lines.filter((line) => !applied.has(line.productId)).map((line) => line.productId);
  if (short.length > 0) throw insufficient(short);
  for (const want of expected) {
    const got = applied.get(want.id)!;
    if (got.stock !== want.stock || got.version !== want.version)
      throw new Error(`product ${want.id} changed under its lock during reservation ${orderId}`);
  }
  traceOutboxRows(events);
  return { kind: 'reserved', reservation: { orderId, status: 'RESERVED', items }, changed };
}

function insufficient(productIds: string[]): Rollback<ReserveOutcome> {
  return new Rollback<ReserveOutcome>({ kind: 'insufficient-stock', productIds });
}
