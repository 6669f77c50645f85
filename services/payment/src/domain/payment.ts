/**
 * An order's payment: one row per order, created as an intent before the provider is
 * called and moved by what the provider says.
 *
 *   (none) -> PENDING -> CAPTURED -> REFUNDED
 *                     -> DECLINED -> CANCELLED
 *            PENDING  -> CANCELLED (never to be charged; a capture that lands anyway is refunded)
 *   (none) -> CANCELLED (cancelled before any charge: a late charge is refused)
 */
export type PaymentStatus = 'PENDING' | 'CAPTURED' | 'DECLINED' | 'CANCELLED' | 'REFUNDED';

/** What the order asked to be charged; absent only on a cancellation recorded before any charge. */
export interface ChargeTerms {
  userId: string;
  amountCents: number;
  currency: string;
}

export interface Payment {
  id: string;
  orderId: string;
  terms: ChargeTerms | null;
  status: PaymentStatus;
  /** Set once the provider's answer (or its record, via reconciliation) is known. */
  providerChargeId: string | null;
  /** Counts this payment's events; every event carries the value after it. */
  version: number;
  /** When a charge call last started: non-null means the provider may know this order. */
  attemptedAt: Date | null;
  /** A charge call for the order is in flight right now (its lease has not run out). */
  chargeInFlight: boolean;
  capturedAt: Date | null;
  declinedAt: Date | null;
  refundedAt: Date | null;
  /** When it became CANCELLED (never set on a capture: that one is refunded instead). */
  cancelledAt: Date | null;
  createdAt: Date;
}

export type PaymentEventType = 'payment.captured' | 'payment.declined' | 'payment.refunded';

export interface PaymentEvent {
  type: PaymentEventType;
  version: number;
}

/** What the provider says happened to the order's charge. */
export interface ProviderOutcome {
  chargeId: string;
  status: 'captured' | 'declined' | 'refunded';
}

/** The provider may have a charge we never heard the answer to. */
export function needsProviderLookup(payment: Payment): boolean {
  return (
    payment.providerChargeId === null &&
    payment.attemptedAt !== null &&
    (payment.status === 'PENDING' || payment.status === 'CANCELLED')
  );
}

/** A capture landed on a cancelled order (a lost or late answer): the money goes back. */
export function owesRefund(payment: Payment): boolean {
  return payment.status === 'CANCELLED' && payment.capturedAt !== null && payment.refundedAt === null;
}

/**
 * The status the public API shows (docs/api-contract.md: CAPTURED, DECLINED, REFUNDED). A
 * cancelled payment shows what happened to the card, and nothing when nothing did.
 */
export function publicStatus(payment: Payment): 'CAPTURED' | 'DECLINED' | 'REFUNDED' | undefined {
  if (payment.refundedAt) return 'REFUNDED';
  if (payment.capturedAt) return 'CAPTURED';
  if (payment.declinedAt) return 'DECLINED';
  return undefined;
}
