import { randomUUID } from 'node:crypto';
import { outboxInsert, traceOutboxRows } from '@surge/messaging';
import { withTransaction, type Pool } from '@surge/postgres';
import type { Payment } from '../domain/payment';
import type { PaymentStore } from '../domain/ports';
import type { Transition } from '../domain/transitions';
import { appendPaymentEvents, paymentEventRows } from './payment-outbox';
import { PAYMENT_COLUMNS as COLUMNS, toPayment, type PaymentRow } from './payment-rows';
import { findUnsettled } from './unsettled-payments';

/**
 * What both UPDATEs in `change` (the guarded one-statement change and the locked
 * fallback) write, with $1..$9 bound by `rowParameters`: written once, so the clause and
 * its parameters cannot drift apart in one path only. A charge still in flight ($8)
 * keeps its lease; any other change releases it.
 */
const ROW_CHANGES = `status = $2, provider_charge_id = $3, version = $4,
                captured_at = $5, declined_at = $6, refunded_at = $7, cancelled_at = $9,
                attempt_id = CASE WHEN $8::boolean THEN attempt_id END,
                attempt_lease_until = CASE WHEN $8::boolean THEN attempt_lease_until END,
                updated_at = now()`;

/** $1..$9 of `ROW_CHANGES` (and `WHERE id = $1`), in that order. */
function rowParameters(next: Payment): unknown[] {
  return [
    next.id,
    next.status,
    next.providerChargeId,
    next.version,
    next.capturedAt,
    next.declinedAt,
    next.refundedAt,
    next.chargeInFlight,
    next.cancelledAt,
  ];
}

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

  /**
   * The change `decide` makes of `known`, in one statement, written only if the row still
   * holds every value `decide` reads and the UPDATE writes (status, version, the provider
   * charge and each timestamp): then the row lock of the locked path would have seen
   * exactly `known`. Otherwise nothing is written and the caller takes the locked path.
   * The events go in with the change (an event exists iff its change committed).
   */
  const changeKnown = async (known: Payment, decide: (payment: Payment) => Transition) => {
    const { payment: next, events } = decide(known);
    if (next === known) return undefined;
    const rows = paymentEventRows(next, events, source);
    const outbox = outboxInsert(rows, 16, 'EXISTS (SELECT 1 FROM changed)');
    const { rows: saved } = await pool.query<PaymentRow>(
      `WITH changed AS (
         UPDATE payments SET ${ROW_CHANGES}
          WHERE id = $1 AND status = $10 AND version = $11
            AND provider_charge_id IS NOT DISTINCT FROM $12::text
            AND captured_at IS NOT DISTINCT FROM $13::timestamptz
            AND declined_at IS NOT DISTINCT FROM $14::timestamptz
            AND refunded_at IS NOT DISTINCT FROM $15::timestamptz
            AND cancelled_at IS NOT DISTINCT FROM $${16 + outbox.values.length}::timestamptz
          RETURNING ${COLUMNS}
       ), announced AS (${outbox.sql})
       SELECT * FROM changed`,
      [
        ...rowParameters(next),
        known.status,
        known.version,
        known.providerChargeId,
        known.capturedAt,
        known.declinedAt,
        known.refundedAt,
        ...outbox.values,
        known.cancelledAt,
      ],
    );
    if (!saved[0]) return undefined;
    traceOutboxRows(rows);
    return { payment: toPayment(saved[0]), events };
  };

  return {
    findByOrder,

    async recordClaimedIntent(intent, leaseMs) {
      const attemptId = randomUUID();
      // The lease columns as claimChargeAttempt sets them: born claimed, so no other
      // charge call can take the order before this one has asked the provider.
      const { rows } = await pool.query<PaymentRow>(
        `INSERT INTO payments (id, order_id, user_id, amount_cents, currency, status,
                               attempt_id, attempt_lease_until, attempted_at)
         VALUES ($1, $2, $3, $4, $5, 'PENDING', $6, now() + make_interval(secs => $7::float8 / 1000), now())
         ON CONFLICT (order_id) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          intent.id,
          intent.orderId,
          intent.terms.userId,
          intent.terms.amountCents,
          intent.terms.currency,
          attemptId,
          leaseMs,
        ],
      );
      return rows[0] ? { attemptId, payment: toPayment(rows[0]) } : undefined;
    },

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

    async change(orderId, decide, known) {
      const fast = known && (await changeKnown(known, decide));
      if (fast) return fast;
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
          `UPDATE payments SET ${ROW_CHANGES}
            WHERE id = $1
            RETURNING ${COLUMNS}`,
          rowParameters(next),
        );
        const saved = toPayment(updated.rows[0] as PaymentRow);
        await appendPaymentEvents(tx, saved, events, source);
        return { payment: saved, events };
      });
    },

    async list(filter) {
      // Shown once something happened to the card (captured, declined, refunded). Keyset
      // paging over (created_at, id), both descending, so page 500 costs what page 1 does.
      const { rows } = await pool.query<PaymentRow & { position_at: string }>(
        `SELECT ${COLUMNS},
                to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position_at
           FROM payments
          WHERE ($1::uuid IS NULL OR user_id = $1) AND ($2::uuid IS NULL OR order_id = $2)
            AND (captured_at IS NOT NULL OR declined_at IS NOT NULL)
            AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
          ORDER BY created_at DESC, id DESC
          LIMIT $5`,
        [
          filter.userId ?? null,
          filter.orderId ?? null,
          filter.after?.createdAt ?? null,
          filter.after?.id ?? null,
          filter.limit,
        ],
      );
      return rows.map((row) => ({
        payment: toPayment(row),
        position: { createdAt: row.position_at, id: row.id },
      }));
    },

    findUnsettled: (options) => findUnsettled(pool, options),

    async markChecked(orderId) {
      await pool.query('UPDATE payments SET checked_at = now() WHERE order_id = $1', [orderId]);
    },
  };
}
