import type { Pool } from '@surge/postgres';
import type { Payment } from '../domain/payment';
import { PAYMENT_COLUMNS as COLUMNS, toPayment, type PaymentRow } from './payment-rows';

/**
 * The reconciler's work list (see reconcilePayments), never a payment whose charge
 * call is in flight (live lease):
 * - PENDING with an attempt older than minAge and no provider answer recorded;
 * - CANCELLED with an attempt within the window and no provider answer recorded
 *   (a capture may still land for a request the provider was slow to process);
 * - CANCELLED with a capture recorded but not yet refunded.
 * Payments the provider had nothing for are re-asked at most every minAge, those
 * never asked first.
 */
export async function findUnsettled(
  pool: Pool,
  options: { minAgeMs: number; cancelledWindowMs: number; limit: number },
): Promise<Payment[]> {
  const { rows } = await pool.query<PaymentRow>(
    `SELECT ${COLUMNS} FROM payments
      WHERE status IN ('PENDING', 'CANCELLED')
        AND (attempt_lease_until IS NULL OR attempt_lease_until <= now())
        AND (
          (provider_charge_id IS NULL AND attempted_at IS NOT NULL
            AND (checked_at IS NULL OR checked_at <= now() - make_interval(secs => $1::float8 / 1000))
            AND ((status = 'PENDING' AND attempted_at <= now() - make_interval(secs => $1::float8 / 1000))
              OR (status = 'CANCELLED' AND attempted_at > now() - make_interval(secs => $2::float8 / 1000))))
          OR (status = 'CANCELLED' AND captured_at IS NOT NULL AND refunded_at IS NULL)
        )
      ORDER BY checked_at NULLS FIRST, attempted_at
      LIMIT $3`,
    [options.minAgeMs, options.cancelledWindowMs, options.limit],
  );
  return rows.map(toPayment);
}
