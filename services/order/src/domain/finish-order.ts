import type { Order } from './order';
import type { SagaDeps } from './saga-deps';

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
 */
export async function finishOrder(deps: SagaDeps, order: Order): Promise<void> {
  const { store, inventory, payments, logger } = deps;
  const log = logger.child({ orderId: order.id });
  try {
    if (order.status === 'PAID' && order.stockState === 'RESERVED') {
      await inventory.commit(order.id);
      await store.markFollowUp(order.id, { stockState: 'COMMITTED' });
      return;
    }
    if (order.status !== 'CANCELLED') return;
    if (order.paymentCancelPending) {
      await payments.cancel(order.id);
      await store.markFollowUp(order.id, { paymentCancelPending: false });
    }
    if (order.refundPending) {
      await payments.refund(order.id);
      await store.markFollowUp(order.id, { refundPending: false });
    }
    // Stock goes back only once the money is settled, so a cancelled order never has both
    // its stock returned and a capture standing.
    if (order.stockState === 'RESERVED' || order.stockState === 'COMMITTED') {
      await inventory.release(order.id);
      await store.markFollowUp(order.id, {
        stockState: order.stockState === 'RESERVED' ? 'RELEASED' : 'RETURNED',
      });
    }
  } catch (error) {
    log.warn({ err: error }, 'order follow-up failed; the recovery worker will retry');
  }
}
