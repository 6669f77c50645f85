import { AppError, isConnectionFailure } from '@surge/errors';
import { appendToOutbox, traceOutboxRows } from '@surge/messaging';
import {
  failedBeforeCommit,
  queryAtomically,
  withTransaction,
  type Pool,
  type PoolClient,
} from '@surge/postgres';
import type { Order } from '../domain/order';
import { OrderNotWrittenError, type NewOrder, type OrderStore, type Transition } from '../domain/ports';
import { createCheckoutRepository } from './checkout-repository';
import { orderEvent, type OrderEventType } from './order-events';
import { ORDER_COLUMNS, toOrder, type OrderRow } from './order-rows';
import { createOrderStatement, knownTransitionStatement } from './order-statements';

async function announce(tx: PoolClient, type: OrderEventType, order: Order): Promise<void> {
  await appendToOutbox(tx, orderEvent(type, order));
}

export function createOrderRepository(pool: Pool): OrderStore {
  const checkouts = createCheckoutRepository(pool);
  const insertOrder = async (order: NewOrder) => {
    const statement = createOrderStatement(order, new Date());
    const { rows } = await queryAtomically<OrderRow>(pool, statement.sql, statement.values);
    if (!rows[0]) {
      // Not ours any more: the worker abandoned the checkout of a request that was too slow.
      throw new AppError('DEPENDENCY_TIMEOUT', 'The checkout took too long and was abandoned; retry it', {
        retriable: true,
      });
    }
    traceOutboxRows(statement.events);
    return toOrder(rows[0]);
  };

  /** The one-statement path of `transition` (order-statements.ts); undefined: take the general one. */
  const transitionKnown = async (transition: Transition): Promise<Order | undefined> => {
    const statement = transition.known && knownTransitionStatement(transition.known, transition, new Date());
    if (!statement) return undefined;
    const { rows } = await pool.query<OrderRow & { answered: boolean }>(statement.sql, statement.values);
    if (!rows[0]) return undefined;
    traceOutboxRows(statement.events);
    if (rows[0].answered && statement.answer) transition.answered?.(statement.answer);
    return toOrder(rows[0]);
  };

  return {
    ...checkouts,

    async createOrder(order: NewOrder) {
      return insertOrder(order).catch((error: unknown) => {
        // No connection could be had: certainly no order. A statement whose connection was
        // lost in flight stays ambiguous (it may have committed): left to the worker.
        throw failedBeforeCommit(error) && isConnectionFailure(error)
          ? new OrderNotWrittenError(error)
          : error;
      });
    },

    async transition(transition: Transition) {
      const fast = await transitionKnown(transition);
      if (fast) return fast;
      return withTransaction(pool, async (tx) => {
        const c = transition.changes ?? {};
        const { rows } = await tx.query<OrderRow>(
          `UPDATE orders SET
             status = $3,
             -- Settled: nothing charges this order again, so its card token goes (migration 0002).
             payment_token = CASE WHEN $3 IN ('PAID', 'CANCELLED') THEN NULL ELSE payment_token END,
             payment_id = COALESCE($4, payment_id),
             cancel_reason = COALESCE($5, cancel_reason),
             stock_state = COALESCE($6, stock_state),
             payment_cancel_pending = COALESCE($7, payment_cancel_pending),
             refund_pending = COALESCE($8, refund_pending),
             -- A new status may leave follow-ups (commit, release, refund): due shortly,
             -- after the inline attempt the request itself makes.
             next_attempt_at = COALESCE($9, CASE WHEN status = $3 THEN next_attempt_at ELSE now() + interval '2 seconds' END),
             payment_attempts = payment_attempts + $10,
             version = version + CASE WHEN status = $3 THEN 0 ELSE 1 END,
             updated_at = now()
           WHERE id = $1 AND status = ANY($2::text[])
           RETURNING ${ORDER_COLUMNS}`,
          [
            transition.orderId,
            transition.from,
            transition.to,
            c.paymentId ?? null,
            c.cancelReason ?? null,
            c.stockState ?? null,
            c.paymentCancelPending ?? null,
            c.refundPending ?? null,
            c.nextAttemptAt ?? null,
            c.countAttempt ? 1 : 0,
          ],
        );
        if (!rows[0]) return undefined;
        const order = toOrder(rows[0]);
        if (transition.event) await announce(tx, transition.event, order);
        if (transition.outcome) {
          const answer = transition.outcome(order);
          const answered = await tx.query(
            `UPDATE checkout_requests SET state = 'COMPLETED', outcome = $2, completed_at = now()
              WHERE order_id = $1 AND state = 'IN_PROGRESS'`,
            [order.id, JSON.stringify(answer)],
          );
          if (answered.rowCount === 1) transition.answered?.(answer);
        }
        return order;
      });
    },

    async markFollowUp(orderId, changes) {
      await pool.query(
        `UPDATE orders SET stock_state = COALESCE($2, stock_state),
                payment_cancel_pending = COALESCE($3, payment_cancel_pending),
                refund_pending = COALESCE($4, refund_pending), updated_at = now()
          WHERE id = $1`,
        [
          orderId,
          changes.stockState ?? null,
          changes.paymentCancelPending ?? null,
          changes.refundPending ?? null,
        ],
      );
    },

    async findById(id) {
      const { rows } = await pool.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1`, [id]);
      return rows[0] ? toOrder(rows[0]) : undefined;
    },

    async listByUser(userId, limit, after) {
      // The position keeps created_at's microseconds: a cursor cut to milliseconds would
      // skip the orders written later in the same millisecond.
      const { rows } = await pool.query<OrderRow & { position_at: string }>(
        `SELECT ${ORDER_COLUMNS},
                to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position_at
           FROM orders
          WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
          ORDER BY created_at DESC, id DESC LIMIT $4`,
        [userId, after?.createdAt ?? null, after?.id ?? null, limit],
      );
      return rows.map((row) => ({
        order: toOrder(row),
        position: { createdAt: row.position_at, id: row.id },
      }));
    },

    /** Leases due orders (SKIP LOCKED: instances never take the same order at once). */
    async claimOrdersNeedingWork(limit, leaseSeconds) {
      const { rows } = await pool.query<OrderRow>(
        `UPDATE orders SET next_attempt_at = now() + make_interval(secs => $2)
          WHERE id IN (
            SELECT id FROM orders
             WHERE next_attempt_at <= now()
               AND (status IN ('PENDING', 'PAYMENT_PENDING')
                    OR (status = 'PAID' AND stock_state = 'RESERVED')
                    OR (status = 'CANCELLED' AND (stock_state IN ('RESERVED', 'COMMITTED') OR payment_cancel_pending OR refund_pending)))
             ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING ${ORDER_COLUMNS}`,
        [limit, leaseSeconds],
      );
      return rows.map(toOrder);
    },
  };
}
