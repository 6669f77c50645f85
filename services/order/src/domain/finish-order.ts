import { withSpan } from '@surge/telemetry';
import type { Order } from './order';
import type { SagaDeps } from './saga-deps';
import { SagaAttributes as A, type FollowUpStep } from './saga-telemetry';

/**
 * Brings an order's reservation and payment in line with its status: the saga's
 * compensations and confirmations. Each step reaches another service and may fail; a
 * failed step leaves its flag set and the recovery worker repeats it later (every call
 * is idempotent at the other end), so every order ends consistent:
 *
 * - PAID: the reservation is committed (stock becomes sold).
 * - CANCELLED: the payment service knows it must never charge the order (refunding a
 *   capture that slipped through), any capture is refunded, and then the stock is
 *   returned: released if it was reserved, returned if it was sold.
 *
 * Each step is a span of its own (`checkout.commit-reservation`, `checkout.cancel-payment`,
 * `checkout.refund`, `checkout.release-reservation`, `checkout.return-stock`); the
 * compensations carry `surge.saga.compensation=true`. Returns the steps that completed.
 */
export async function finishOrder(deps: SagaDeps, order: Order): Promise<FollowUpStep[]> {
  const { store, inventory, payments, logger } = deps;
  const log = logger.child({ orderId: order.id });
  const done: FollowUpStep[] = [];
  const step = async (
    name: string,
    compensation: boolean,
    result: FollowUpStep,
    work: () => Promise<void>,
  ) => {
    await withSpan(`checkout.${name}`, { [A.orderId]: order.id, [A.compensation]: compensation }, work);
    done.push(result);
  };
  try {
    if (order.status === 'PAID' && order.stockState === 'RESERVED') {
      await step('commit-reservation', false, 'committed', async () => {
        await inventory.commit(order.id);
        await store.markFollowUp(order.id, { stockState: 'COMMITTED' });
      });
      return done;
    }
    if (order.status !== 'CANCELLED') return done;
    if (order.paymentCancelPending) {
      await step('cancel-payment', true, 'payment_cancelled', async () => {
        await payments.cancel(order.id);
        await store.markFollowUp(order.id, { paymentCancelPending: false });
      });
    }
    if (order.refundPending) {
      await step('refund', true, 'refunded', async () => {
        await payments.refund(order.id);
        await store.markFollowUp(order.id, { refundPending: false });
      });
    }
    // Stock goes back only once the money is settled, so a cancelled order never has both
    // its stock returned and a capture standing.
    if (order.stockState === 'RESERVED' || order.stockState === 'COMMITTED') {
      const reserved = order.stockState === 'RESERVED';
      await step(
        reserved ? 'release-reservation' : 'return-stock',
        true,
        reserved ? 'released' : 'returned',
        async () => {
          await inventory.release(order.id);
          await store.markFollowUp(order.id, { stockState: reserved ? 'RELEASED' : 'RETURNED' });
        },
      );
    }
  } catch (error) {
    log.warn({ err: error }, 'order follow-up failed; the recovery worker will retry');
  }
  return done;
}
