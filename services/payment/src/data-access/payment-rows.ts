import type { Payment, PaymentStatus } from '../domain/payment';

export interface PaymentRow {
  id: string;
  order_id: string;
  user_id: string | null;
  amount_cents: string | null;
  currency: string | null;
  status: PaymentStatus;
  provider_charge_id: string | null;
  version: number;
  attempted_at: Date | null;
  charge_in_flight: boolean;
  captured_at: Date | null;
  declined_at: Date | null;
  refunded_at: Date | null;
  cancelled_at: Date | null;
  created_at: Date;
}

/** `charge_in_flight` is computed with the database clock, the same clock that set the lease. */
export const PAYMENT_COLUMNS = `id, order_id, user_id, amount_cents, currency, status, provider_charge_id, version,
  attempted_at, COALESCE(attempt_lease_until > now(), false) AS charge_in_flight,
  captured_at, declined_at, refunded_at, cancelled_at, created_at`;

export function toPayment(row: PaymentRow): Payment {
  const terms =
    row.user_id !== null && row.amount_cents !== null && row.currency !== null
      ? // bigint arrives as a string; amounts are validated far below 2^53.
        { userId: row.user_id, amountCents: Number(row.amount_cents), currency: row.currency }
      : null;
  return {
    id: row.id,
    orderId: row.order_id,
    terms,
    status: row.status,
    providerChargeId: row.provider_charge_id,
    version: row.version,
    attemptedAt: row.attempted_at,
    chargeInFlight: row.charge_in_flight,
    capturedAt: row.captured_at,
    declinedAt: row.declined_at,
    refundedAt: row.refunded_at,
    cancelledAt: row.cancelled_at,
    createdAt: row.created_at,
  };
}
