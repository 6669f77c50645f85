import type { PaymentDeps } from './ports';
import { refundCapture, settleWithProvider } from './settle-with-provider';

export interface RefundResult {
  orderId: string;
  status: 'REFUNDED' | 'NONE';
}

/**
 * Refunds the order's capture in full. Idempotent: a refunded payment answers
 * REFUNDED, an order without a capture answers NONE (a saga compensating a charge
 * that never happened can call it safely). An intent whose answer was lost is looked
 * up at the provider first, so a capture we never heard of is refunded too.
 */
export async function refundPayment(deps: PaymentDeps, orderId: string): Promise<RefundResult> {
  const found = await deps.payments.findByOrder(orderId);
  if (!found) return { orderId, status: 'NONE' };
  let payment = await settleWithProvider(deps, found);
  if (payment.status === 'CAPTURED') payment = await refundCapture(deps, payment);
  return { orderId, status: payment.status === 'REFUNDED' ? 'REFUNDED' : 'NONE' };
}
