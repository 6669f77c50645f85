import { AppError, DependencyError, NotFoundError } from '@surge/errors';
import type { CheckoutOutcome } from './checkout-outcome';

/**
 * `checkout_outcomes_total{outcome}`: how each POST /api/orders ended, one count per
 * request. `replayed` is an answer from the idempotency record (whatever it says);
 * `conflict` a key still in progress or reused with another body; `invalid` a request
 * refused before any step (an empty cart); `unavailable` a dependency that failed before
 * the order existed (503/504, nothing charged); `error` anything else (a bug, a 500).
 */
export type CheckoutOutcomeLabel =
  | 'paid'
  | 'pending'
  | 'cancelled'
  | 'declined'
  | 'rejected'
  | 'insufficient_stock'
  | 'currency_mismatch'
  | 'not_found'
  | 'replayed'
  | 'conflict'
  | 'invalid'
  | 'unavailable'
  | 'error';

/**
 * `order_recovery_actions_total{action}`: what the recovery worker did. `charged` a charge
 * sent again (its settlement, and the commit or release that follows, are part of it);
 * `cancelled_timeout` an order cancelled because its payment stayed unknown past the
 * deadline; `committed`, `released`, `returned`, `refunded`, `payment_cancelled` a
 * follow-up step a request left undone; `abandoned` a checkout that died before its
 * order existed, cleaned up; `failed` an attempt that failed and will be repeated.
 */
export type RecoveryAction = 'charged' | 'cancelled_timeout' | FollowUpStep | 'abandoned' | 'failed';

/** The saga's confirmations and compensations (finish-order.ts). */
export type FollowUpStep = 'committed' | 'payment_cancelled' | 'refunded' | 'released' | 'returned';

/** Where the saga's counts go; the service wires prom-client behind it (telemetry/saga-metrics.ts). */
export interface SagaMetrics {
  checkoutEnded(outcome: CheckoutOutcomeLabel): void;
  recoveryAction(action: RecoveryAction): void;
}

/**
 * Span attribute names. OpenTelemetry's where the semantic conventions have one
 * (`user.id`), `surge.*` for the domain's own.
 */
export const SagaAttributes = {
  orderId: 'surge.order.id',
  userId: 'user.id',
  itemCount: 'surge.order.item_count',
  orderStatus: 'surge.order.status',
  outcome: 'surge.checkout.outcome',
  replayed: 'surge.checkout.replayed',
  idempotency: 'surge.checkout.idempotency',
  reservation: 'surge.reservation.result',
  paymentAttempt: 'surge.payment.attempt',
  paymentOutcome: 'surge.payment.outcome',
  compensation: 'surge.saga.compensation',
  recoveryAction: 'surge.recovery.action',
} as const;

export function outcomeLabel(outcome: CheckoutOutcome): CheckoutOutcomeLabel {
  switch (outcome.kind) {
    case 'paid':
    case 'cancelled':
    case 'declined':
    case 'rejected':
      return outcome.kind;
    case 'payment-pending':
      return 'pending';
    case 'insufficient-stock':
      return 'insufficient_stock';
    case 'unknown-products':
      return 'not_found';
    case 'currency-mismatch':
      return 'currency_mismatch';
  }
}

/** The label of a checkout that ended in a thrown error, as the HTTP edge will answer it. */
export function errorLabel(error: unknown): CheckoutOutcomeLabel {
  if (error instanceof DependencyError) return 'unavailable';
  if (error instanceof NotFoundError) return 'not_found';
  if (error instanceof AppError) {
    if (error.code === 'REQUEST_IN_PROGRESS' || error.code === 'IDEMPOTENCY_KEY_REUSED') return 'conflict';
    return 'invalid';
  }
  return 'error';
}
