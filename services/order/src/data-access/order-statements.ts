import { outboxInsert, prepareOutboxRow, type OutboxRow } from '@surge/messaging';
import type { CheckoutOutcome } from '../domain/checkout-outcome';
import type { Order } from '../domain/order';
import type { NewOrder, Transition } from '../domain/ports';
import { orderEvent } from './order-events';
import { ORDER_COLUMNS } from './order-rows';

/**
 * The checkout's writes to the order database as single statements (CTEs): one round
 * trip each, atomic as any statement is, where BEGIN, three statements and COMMIT cost
 * five. Every part is gated on the part before it, so a statement writes all of its
 * rows or none.
 */
export interface Statement {
  sql: string;
  values: unknown[];
  events: OutboxRow[];
}

/**
 * Order PENDING + `order.created`, only while the checkout is still ours. Protects: an
 * order exists iff it was announced (same statement), and a checkout the recovery
 * worker abandoned (its request was too slow) never gets an order: `order_created` is
 * set on the checkout row the worker's abandon statement re-checks, so one of them wins.
 */
export function createOrderStatement(order: NewOrder, now: Date): Statement {
  // `now` only fills the draft the event is built from (the event carries no timestamp);
  // the row's timestamps are the database's, as everywhere else.
  const created: Order = {
    ...order,
    status: 'PENDING',
    paymentId: null,
    cancelReason: null,
    stockState: 'RESERVED',
    paymentCancelPending: false,
    refundPending: false,
    paymentAttempts: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const events = [prepareOutboxRow(orderEvent('order.created', created))];
  const outbox = outboxInsert(events, 10, 'EXISTS (SELECT 1 FROM created)');
  return {
    sql: `WITH claimed AS (
            UPDATE checkout_requests SET order_created = true
             WHERE order_id = $1 AND state = 'IN_PROGRESS' RETURNING order_id
          ), created AS (
            INSERT INTO orders (id, user_id, status, items, total_cents, currency, shipping_address, payment_token,
                                stock_state, next_attempt_at, payment_deadline, version)
            SELECT $1, $2, 'PENDING', $3, $4, $5, $6, $7, 'RESERVED', $8, $9, 1 FROM claimed
            RETURNING ${ORDER_COLUMNS}
          ), announced AS (${outbox.sql})
          SELECT ${ORDER_COLUMNS} FROM created`,
    values: [
      order.id,
      order.userId,
      JSON.stringify(order.items),
      order.totalCents,
      order.currency,
      JSON.stringify(order.shippingAddress),
      order.paymentToken,
      order.firstAttemptAt,
      order.paymentDeadline,
      ...outbox.values,
    ],
    events,
  };
}

/** The order a transition makes of `known`, as the general UPDATE in the repository would. */
export function applyTransition(known: Order, transition: Transition, now: Date): Order {
  const c = transition.changes ?? {};
  const settled = transition.to === 'PAID' || transition.to === 'CANCELLED';
  return {
    ...known,
    status: transition.to,
    // Settled: nothing charges this order again, so its card token goes (migration 0002).
    paymentToken: settled ? null : known.paymentToken,
    paymentId: c.paymentId ?? known.paymentId,
    cancelReason: c.cancelReason ?? known.cancelReason,
    stockState: c.stockState ?? known.stockState,
    paymentCancelPending: c.paymentCancelPending ?? known.paymentCancelPending,
    refundPending: c.refundPending ?? known.refundPending,
    paymentAttempts: known.paymentAttempts + (c.countAttempt ? 1 : 0),
    version: known.version + (known.status === transition.to ? 0 : 1),
    updatedAt: now,
  };
}

/**
 * A transition of an order the caller holds (`known`: the checkout's own order, just
 * written), in one statement: the new status, its event and the checkout's answer are
 * computed here from `known` and written only if the row still holds every value
 * `known` has (status, version and each saga field), so nothing anyone wrote since is
 * overwritten. When the guard does not match, the statement writes nothing and the
 * caller takes the general path, which reads the row under its lock. `updated_at` is the
 * caller's clock here (the stored answer shows it, and is computed before the statement).
 */
export function knownTransitionStatement(
  known: Order,
  transition: Transition,
  now: Date,
): (Statement & { next: Order; answer: CheckoutOutcome | undefined }) | undefined {
  if (!transition.from.includes(known.status)) return undefined;
  const next = applyTransition(known, transition, now);
  const answer = transition.outcome?.(next);
  const events = transition.event ? [prepareOutboxRow(orderEvent(transition.event, next))] : [];
  const outbox = outboxInsert(events, 21, 'EXISTS (SELECT 1 FROM moved)');
  return {
    sql: `WITH moved AS (
            UPDATE orders SET status = $2, payment_token = $3, payment_id = $4, cancel_reason = $5,
                   stock_state = $6, payment_cancel_pending = $7, refund_pending = $8,
                   next_attempt_at = COALESCE($9, CASE WHEN status = $2 THEN next_attempt_at
                                                        ELSE now() + interval '2 seconds' END),
                   payment_attempts = $10, version = $11, updated_at = $12
             WHERE id = $1 AND status = $13 AND version = $14 AND stock_state = $15
               AND payment_cancel_pending = $16 AND refund_pending = $17 AND payment_attempts = $18
               AND payment_id IS NOT DISTINCT FROM $19::uuid AND cancel_reason IS NOT DISTINCT FROM $20::text
            RETURNING ${ORDER_COLUMNS}
          ), answered AS (
            UPDATE checkout_requests SET state = 'COMPLETED', outcome = $${21 + outbox.values.length},
                   completed_at = now()
             WHERE order_id = $1 AND state = 'IN_PROGRESS' AND $${22 + outbox.values.length}::boolean
               AND EXISTS (SELECT 1 FROM moved)
            RETURNING order_id
          ), announced AS (${outbox.sql})
          SELECT ${ORDER_COLUMNS}, EXISTS (SELECT 1 FROM answered) AS answered FROM moved`,
    values: [
      known.id,
      next.status,
      next.paymentToken,
      next.paymentId,
      next.cancelReason,
      next.stockState,
      next.paymentCancelPending,
      next.refundPending,
      transition.changes?.nextAttemptAt ?? null,
      next.paymentAttempts,
      next.version,
      now,
      known.status,
      known.version,
      known.stockState,
      known.paymentCancelPending,
      known.refundPending,
      known.paymentAttempts,
      known.paymentId,
      known.cancelReason,
      ...outbox.values,
      JSON.stringify(answer ?? null),
      answer !== undefined,
    ],
    events,
    next,
    answer,
  };
}
