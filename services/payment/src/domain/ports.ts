import type { ChargeTerms, Payment, PaymentEvent, ProviderOutcome } from './payment';
import type { Transition } from './transitions';

/**
 * Where a payment stands in the newest-first list: its creation instant at Postgres's
 * microsecond precision (as text: a Date keeps milliseconds only, and a position cut to
 * milliseconds would skip the payments written later in that millisecond), then its id.
 */
export interface ListPosition {
  createdAt: string;
  id: string;
}

/**
 * What the use cases need from the outside world. data-access implements the store
 * with pg, clients/ the provider with undici; the domain knows neither.
 */
export interface PaymentStore {
  /**
   * The common first charge of an order, in one statement: inserts the PENDING intent
   * with the charge lease already taken, unless the order has a payment. Undefined when
   * it has one (the caller then takes recordIntent and claimChargeAttempt).
   */
  recordClaimedIntent(
    intent: { id: string; orderId: string; terms: ChargeTerms },
    leaseMs: number,
  ): Promise<{ attemptId: string; payment: Payment } | undefined>;
  /** Inserts a PENDING intent unless the order has a payment (unique order_id); returns the order's payment. */
  recordIntent(intent: { id: string; orderId: string; terms: ChargeTerms }): Promise<Payment>;
  /** Inserts a CANCELLED payment unless the order has one; `created` tells which. */
  recordCancellation(tombstone: {
    id: string;
    orderId: string;
  }): Promise<{ payment: Payment; created: boolean }>;
  /**
   * Takes the order's charge lease, atomically: only a PENDING payment whose lease is
   * free or expired can be claimed, so of concurrent callers exactly one gets it.
   * Returns the payment as it is now either way.
   */
  claimChargeAttempt(
    orderId: string,
    leaseMs: number,
  ): Promise<{ claimed: true; attemptId: string; payment: Payment } | { claimed: false; payment: Payment }>;
  /** Gives the lease back after a call without a definite answer, if it is still ours. */
  releaseChargeAttempt(orderId: string, attemptId: string): Promise<void>;
  findByOrder(orderId: string): Promise<Payment | undefined>;
  /**
   * Locks the order's payment (SELECT ... FOR UPDATE), lets `decide` choose the change,
   * and commits it with its events in one transaction. Undefined when the order has no payment.
   * With `known` (the payment as the caller last wrote it), the change is one statement
   * while the row still holds exactly that, and takes the locked path otherwise.
   */
  change(
    orderId: string,
    decide: (payment: Payment) => Transition,
    known?: Payment,
  ): Promise<{ payment: Payment; events: PaymentEvent[] } | undefined>;
  /** Payments the public API shows, newest first, from after `after` on; each with its position. */
  list(filter: {
    userId?: string;
    orderId?: string;
    after?: ListPosition;
    limit: number;
  }): Promise<Array<{ payment: Payment; position: ListPosition }>>;
  /** Payments the provider may know more about than we do (see reconcilePayments). */
  findUnsettled(options: { minAgeMs: number; cancelledWindowMs: number; limit: number }): Promise<Payment[]>;
  /** Remembers that the provider had nothing for the order, so the next pass asks others first. */
  markChecked(orderId: string): Promise<void>;
}

export interface ProviderGateway {
  /**
   * Charges with the order id as the idempotency key. Resolves only with a definite
   * answer; throws a DependencyError when the outcome is unknown (timeout, refused,
   * 5xx, dropped connection), a ValidationError for a token the provider rejects and
   * IDEMPOTENCY_KEY_REUSED when the key was used with another body.
   */
  charge(request: { orderId: string; amountCents: number; currency: string; token: string }): Promise<{
    chargeId: string;
    status: 'captured' | 'declined';
  }>;
  /** The provider's charge for the order, or undefined when it never received one. */
  findCharge(orderId: string): Promise<ProviderOutcome | undefined>;
  /** Refunds in full; idempotent at the provider. */
  refund(chargeId: string): Promise<void>;
}

export type PaymentOutcome = 'captured' | 'declined' | 'pending' | 'refunded';

export interface PaymentMetrics {
  count(outcome: PaymentOutcome): void;
}

export interface PaymentDeps {
  payments: PaymentStore;
  provider: ProviderGateway;
  metrics: PaymentMetrics;
  /** How long one charge attempt owns the order: the provider timeout plus a margin. */
  attemptLeaseMs: number;
}
