import { setSpanAttributes, withSpan } from '@surge/telemetry';
import { finishOrder } from './finish-order';
import type { Order } from './order';
import { giveUpOnPayment, settlePayment } from './settle-payment';
import { nowOf, type SagaDeps } from './saga-deps';
import { SagaAttributes as A, type RecoveryAction } from './saga-telemetry';

/**
 * One pass of the recovery worker: completes every order that a request left unfinished
 * (a crash, a payment service that was down, a compensation that failed). Rows are
 * leased with SKIP LOCKED, so any number of order instances run it side by side and
 * each order is worked on by one of them at a time.
 *
 * Returns how many items it worked on, so the loop can go again at once when busy.
 */
export async function recoverOrders(deps: SagaDeps, batchSize = 20): Promise<number> {
  const orders = await deps.store.claimOrdersNeedingWork(batchSize, deps.policy.workerLeaseSeconds);
  await Promise.all(orders.map((order) => recoverOrder(deps, order)));
  const abandoned = await deps.store.claimAbandonedCheckouts(batchSize, deps.policy.workerLeaseSeconds);
  for (const orderId of abandoned) await forgetAbandonedCheckout(deps, orderId);
  return orders.length + abandoned.length;
}

/**
 * One order, in an `order.recover` span: the worker has no request, so without it the
 * calls and events of the recovery would each start a trace of their own.
 */
async function recoverOrder(deps: SagaDeps, order: Order): Promise<void> {
  const attributes = { [A.orderId]: order.id, [A.orderStatus]: order.status };
  const counted = (actions: RecoveryAction[]) => {
    setSpanAttributes({ [A.recoveryAction]: actions.length > 0 ? actions.join(',') : 'none' });
    for (const action of actions) deps.metrics.recoveryAction(action);
  };
  await withSpan('order.recover', attributes, async () => {
    try {
      if (order.status !== 'PENDING' && order.status !== 'PAYMENT_PENDING') {
        counted(await finishOrder(deps, order));
        return;
      }
      if (nowOf(deps) >= order.paymentDeadline) {
        await giveUpOnPayment(deps, order);
        counted(['cancelled_timeout']);
        return;
      }
      // Invariant: a chargeable order keeps its token (it is cleared only on PAID/CANCELLED).
      if (order.paymentToken === null)
        throw new Error(`order ${order.id} is ${order.status} without its payment token`);
      // The same charge, with the same idempotency key (the order id): never a second capture.
      const outcome = await deps.payments.charge({
        orderId: order.id,
        userId: order.userId,
        amountCents: order.totalCents,
        currency: order.currency,
        token: order.paymentToken,
      });
      setSpanAttributes({ [A.paymentOutcome]: outcome.kind, [A.paymentAttempt]: order.paymentAttempts + 1 });
      await settlePayment(deps, order, outcome);
      counted(['charged']);
    } catch (error) {
      counted(['failed']);
      deps.logger.warn({ err: error, orderId: order.id }, 'order recovery failed; retrying later');
    }
  });
}

/**
 * The request died (or the product service failed) before the order was created: release
 * whatever was reserved under the order id, then forget the key. The client never got
 * an answer; retrying the key starts a fresh checkout.
 */
async function forgetAbandonedCheckout(deps: SagaDeps, orderId: string): Promise<void> {
  await withSpan('order.recover-abandoned', { [A.orderId]: orderId }, async () => {
    try {
      await deps.inventory.release(orderId);
      await deps.store.abandonCheckout(orderId);
      deps.metrics.recoveryAction('abandoned');
      setSpanAttributes({ [A.recoveryAction]: 'abandoned' });
    } catch (error) {
      deps.metrics.recoveryAction('failed');
      setSpanAttributes({ [A.recoveryAction]: 'failed' });
      deps.logger.warn({ err: error, orderId }, 'could not clean up an abandoned checkout; retrying later');
    }
  });
}
