import { randomUUID } from 'node:crypto';
import { awaitChargeInFlight } from './charge-lease';
import type { PaymentDeps } from './ports';
import { recordChange } from './record-change';
import { refundCapture, settleWithProvider } from './settle-with-provider';
import { cancelCharge } from './transitions';

export interface CancelResult {
  orderId: string;
  status: 'CANCELLED' | 'REFUNDED';
}

/**
 * The order will never be charged, and keeps no money if it was. Idempotent.
 * Invariant: after a 200, no capture for the order stands (none happened, or it was
 * refunded), and no later charge call reaches the provider.
 */
export async function cancelPayment(deps: PaymentDeps, orderId: string): Promise<CancelResult> {
  // 1. No payment yet: a CANCELLED tombstone, so a charge that arrives late is refused
  //    (409) instead of charging. Dying after it: done, nothing was ever charged.
  const tombstone = await deps.payments.recordCancellation({ id: randomUUID(), orderId });
  if (tombstone.created) return { orderId, status: 'CANCELLED' };

  // 2. PENDING or DECLINED -> CANCELLED under the row lock: no new charge attempt can
  //    claim the order from now on. Dying after it: the cancel retry (or the
  //    reconciler) carries on with step 4.
  let payment = await recordChange(deps, orderId, cancelCharge);

  // 3. A charge call already on its way to the provider: let it finish, so its answer
  //    is recorded (and a capture refunded) rather than raced by our lookup.
  payment = await awaitChargeInFlight(deps, payment);

  // 4. Ask the provider about an attempt whose answer we never got, and give back any
  //    capture. A provider that does not answer makes this a 503: the payment is
  //    already cancelled, the caller retries the cancel, and the reconciler keeps
  //    checking cancelled attempts meanwhile.
  payment = await settleWithProvider(deps, payment);
  if (payment.status === 'CAPTURED') payment = await refundCapture(deps, payment);
  return { orderId, status: payment.status === 'REFUNDED' ? 'REFUNDED' : 'CANCELLED' };
}
