import { needsProviderLookup, owesRefund, type Payment } from './payment';
import type { PaymentDeps } from './ports';
import { recordChange } from './record-change';
import { recordProviderOutcome, recordRefund } from './transitions';

/**
 * Brings a payment in line with the provider: asks for a charge whose answer we never
 * got (a timeout, a dropped connection, a crash), records it, and returns money a
 * cancelled order should not have paid. Safe to repeat and to run concurrently with
 * the charge call: every write is a conditional transition under the row lock.
 */
export async function settleWithProvider(deps: PaymentDeps, payment: Payment): Promise<Payment> {
  let current = payment;
  if (needsProviderLookup(current)) {
    const outcome = await deps.provider.findCharge(current.orderId);
    if (!outcome) {
      await deps.payments.markChecked(current.orderId);
      return current;
    }
    current = await recordChange(deps, current.orderId, (locked) =>
      recordProviderOutcome(locked, outcome, new Date()),
    );
  }
  if (owesRefund(current)) current = await refundCapture(deps, current);
  return current;
}

/**
 * Refunds a recorded capture. The provider first, then our record: dying between the
 * two leaves the payment looking captured, and the next refund, cancel or
 * reconciliation pass asks again, which the provider answers with the same refund.
 */
export async function refundCapture(deps: PaymentDeps, payment: Payment): Promise<Payment> {
  if (payment.providerChargeId === null || payment.capturedAt === null || payment.refundedAt !== null) {
    return payment;
  }
  await deps.provider.refund(payment.providerChargeId);
  return recordChange(deps, payment.orderId, (locked) => recordRefund(locked, new Date()));
}
