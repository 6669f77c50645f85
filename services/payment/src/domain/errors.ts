import { AppError, ConflictError, DependencyError } from '@surge/errors';
import type { Payment } from './payment';

/** The domain's answers that are not a captured payment, as stable error codes. */
export function paymentDeclined(payment: Payment): AppError {
  return new AppError('PAYMENT_DECLINED', 'The card was declined', {
    details: { paymentId: payment.id, orderId: payment.orderId },
  });
}

/** Cancelled (or refunded after a cancellation): this order will not be charged. */
export function paymentClosed(payment: Payment): AppError {
  return new ConflictError('CONFLICT', "The order's payment was cancelled; it will not be charged", {
    details: { paymentId: payment.id, orderId: payment.orderId, paymentStatus: payment.status },
  });
}

export function termsChanged(payment: Payment): AppError {
  return new ConflictError(
    'IDEMPOTENCY_KEY_REUSED',
    'This order was already charged with a different amount, currency or user',
    { details: { paymentId: payment.id, orderId: payment.orderId } },
  );
}

/**
 * No definite answer: the provider may or may not have captured. Keeps 503/504 (and
 * the cause) and tells the caller to retry with the same key, which cannot capture twice.
 */
export function outcomeUnknown(orderId: string, cause: DependencyError): DependencyError {
  return new DependencyError(
    cause.dependency,
    'The payment outcome is unknown; retry with the same Idempotency-Key',
    { cause, timeout: cause.code === 'DEPENDENCY_TIMEOUT', details: { orderId }, retryAfterSeconds: 1 },
  );
}

/** Another attempt for the order is still waiting for the provider. */
export function chargeInProgress(orderId: string): DependencyError {
  return new DependencyError(
    'payment-provider',
    'A charge for this order is in progress; retry with the same Idempotency-Key',
    { details: { orderId }, retryAfterSeconds: 1 },
  );
}
