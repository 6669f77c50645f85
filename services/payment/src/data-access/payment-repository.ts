import { randomUUID } from 'node:crypto';
import { withTransaction, type Pool } from '@surge/postgres';
import type { Payment } from '../domain/payment';
import type { PaymentStore } from '../domain/ports';
import { appendPaymentEvents } from './payment-outbox';
import { PAYMENT_COLUMNS as COLUMNS, toPayment, type PaymentRow } from './payment-rows';
import { findUnsettled } from './unsettled-payments';

export function createPaymentRepository(pool: Pool, source: string): PaymentStore {
  const findByOrder = async (orderId: string): Promise<Payment | undefined> => {
    const { rows } = await pool.query<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE order_id = $1`, [
      orderId,
    ]);
    return rows[0] ? toPayment(rows[0]) : undefined;
  };
  /** After an insert skipped on conflict: the row exists (payments are never deleted). */
  const existing = async (orderId: string): Promise<Payment> => {
    const payment = await findByOrder(orderId);
    if (!payment) throw new Error(`payment for order ${orderId} disappeared after a conflict`);
    return payment;
  };

  return {
    findByOrder,

    async recordIntent(intent) {
      const { rows } = await pool.query<PaymentRow>(
        `INSERT INTO payments (id, order_id, user_id, amount_cents, currency, status)
         VALUES ($1, $2, $3, $4, $5, 'PENDING')
         ON CONFLICT (order_id) DO NOTHING
         RETURNING ${COLUMNS}`,
        [intent.id, intent.orderId, intent.terms.userId, intent.terms.amountCents, intent.terms.currency],
      );
      return rows[0] ? toPayment(rows[0]) : existing(intent.orderId);
    },

    async recordCancellation(tombstone) {
      const { rows } = await pool.query<PaymentRow>(
        `INSERT INTO payments (id, order_id, status, cancelled_at) VALUES ($1, $2, 'CANCELLED', now())
         ON CONFLICT (order_id) DO NOTHING
         RETURNING ${COLUMNS}`,
        [tombstone.id, tombstone.orderId],
      );
      return rows[0]
        ? { payment: toPayment(rows[0]), created: true }
        : { payment: await existing(tombstone.orderId), created: false };
    },

    async claimChargeAttempt(orderId, leaseMs) {
      const attemptId = randomUUID();
      // One statement: concurrent claims queue on the row lock and re-check the WHERE
      // against the winner's committed lease, so exactly one of them matches.
      const { rows } = await pool.query<PaymentRow>(
        `UPDATE payments
            SET attempt_id = $2, attempt_lease_until = now() + make_interval(secs => $3::float8 / 1000),
                attempted_at = now(), updated_at = now()
          WHERE order_id = $1 AND status = 'PENDING'
            AND (attempt_lease_until IS NULL OR attempt_lease_until <= now())
          RETURNING ${COLUMNS}`,
        [orderId, attemptId, leaseMs],
      );
      if (rows[0]) return { claimed: true, attemptId, payment: toPayment(rows[0]) };
      return { claimed: false, payment: await existing(orderId) };
    },

    async releaseChargeAttempt(orderId, attemptId) {
      // Only our own lease: after ours ran out, another attempt may hold a new one.
      await pool.query(
        `UPDATE payments SET attempt_id = NULL, attempt_lease_until = NULL, updated_at = now()
          WHERE order_id = $1 AND attempt_id = $2`,
        [orderId, attemptId],
      );
    },

    change(orderId, decide) {
      return withTransaction(pool, async (tx) => {
        const { rows } = await tx.query<PaymentRow>(
          `SELECT ${COLUMNS} FROM payments WHERE order_id = $1 FOR UPDATE`,
          [orderId],
        );
        if (!rows[0]) return undefined;
        const current = toPayment(rows[0]);
        const { payment: next, events } = decide(current);
        if (next === current) return { payment: current, events: [] };
        const updated = await tx.query<PaymentRow>(
          `UPDATE payments
              SET status = $2, provider_charge_id = $3, version = $4,
                  captured_at = $5, declined_at = $6, refunded_at = $7, cancelled_at = $9,
                  attempt_id = CASE WHEN $8::boolean THEN attempt_id END,
                  attempt_lease_until = CASE WHEN $8::boolean THEN attempt_lease_until END,
                  updated_at = now()
            WHERE id = $1
            RETURNING ${COLUMNS}`,
          [
            next.id,
            next.status,
            next.providerChargeId,
            next.version,
            next.capturedAt,
            next.declinedAt,
            next.refundedAt,
            next.chargeInFlight,
            next.cancelledAt,
          ],
        );
        const saved = toPayment(updated.rows[0] as PaymentRow);
        await appendPaymentEvents(tx, saved, events, source);
        return { payment: saved, events };
      });
    },

    async list(filter) {
      // Shown once something happened to the card (captured, declined, refunded).
      const { rows } = await pool.query<PaymentRow>(
        `SELECT ${COLUMNS} FROM payments
          WHERE ($1::uuid IS NULL OR user_id = $1) AND ($2::uuid IS NULL OR order_id = $2)
            AND (captured_at IS NOT NULL OR declined_at IS NOT NULL)
          ORDER BY created_at DESC, id
          LIMIT $3`,
        [filter.userId ?? null, filter.orderId ?? null, filter.limit],
      );
      return rows.map(toPayment);
    },

    findUnsettled: (options) => findUnsettled(pool, options),

    async markChecked(orderId) {
      await pool.query('UPDATE payments SET checked_at = now() WHERE order_id = $1', [orderId]);
    },
  };
}
