import { NotFoundError } from '@surge/errors';
import type { Payment, PaymentEventType } from './payment';
import type { PaymentDeps, PaymentOutcome } from './ports';
import type { Transition } from './transitions';

const OUTCOME_BY_EVENT: Record<PaymentEventType, PaymentOutcome> = {
  'payment.captured': 'captured',
  'payment.declined': 'declined',
  'payment.refunded': 'refunded',
};

/**
 * Applies a transition under the payment's row lock and counts what actually changed:
 * metrics follow committed events, so a replay or a second report counts nothing.
 * `known`: the payment as the caller last wrote it (see PaymentStore.change).
 */
export async function recordChange(
  deps: Pick<PaymentDeps, 'payments' | 'metrics'>,
  orderId: string,
  decide: (payment: Payment) => Transition,
  known?: Payment,
): Promise<Payment> {
  const result = await deps.payments.change(orderId, decide, known);
  // Callers hold a payment they read before; payments are never deleted.
  if (!result) throw new NotFoundError('Payment');
  for (const event of result.events) deps.metrics.count(OUTCOME_BY_EVENT[event.type]);
  return result.payment;
}
