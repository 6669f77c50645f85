import type { Principal } from '@surge/auth';
import { ConflictError, NotFoundError } from '@surge/errors';
import { setSpanAttributes, withSpan } from '@surge/telemetry';
import { finishOrder } from './finish-order';
import { CancelReason, toOrderView, type Order, type OrderView } from './order';
import type { SagaDeps } from './saga-deps';
import { SagaAttributes as A } from './saga-telemetry';

/** Reading another user's order is 404, not 403: existence is not leaked (docs/api-contract.md). */
export async function findVisibleOrder(
  deps: Pick<SagaDeps, 'store'>,
  principal: Principal,
  orderId: string,
): Promise<Order> {
  const order = await deps.store.findById(orderId);
  if (!order || (order.userId !== principal.userId && principal.role !== 'admin'))
    throw new NotFoundError('Order');
  return order;
}

/**
 * POST /api/orders/:id/cancel. The status changes first, in one transaction with its
 * event; then the compensations run (finishOrder), each retried by the worker until done:
 *
 * - PENDING / PAYMENT_PENDING: the payment service is told the order must never be
 *   charged (a capture whose answer was lost is refunded), then the stock is released.
 *   The worker stops retrying the charge the moment the status is CANCELLED.
 * - PAID: the capture is refunded, then the sold stock is returned.
 * - CANCELLED: nothing to do; the answer is the order (cancel is idempotent).
 */
export async function cancelOrder(deps: SagaDeps, principal: Principal, orderId: string): Promise<OrderView> {
  return withSpan('order.cancel', { [A.orderId]: orderId }, () => cancelWithRetry(deps, principal, orderId));
}

async function cancelWithRetry(
  deps: SagaDeps,
  principal: Principal,
  orderId: string,
  attempt = 1,
): Promise<OrderView> {
  const order = await findVisibleOrder(deps, principal, orderId);
  setSpanAttributes({ [A.orderStatus]: order.status });
  if (order.status === 'CANCELLED') return toOrderView(order);
  const wasPaid = order.status === 'PAID';
  const cancelled = await deps.store.transition({
    orderId,
    from: wasPaid ? ['PAID'] : ['PENDING', 'PAYMENT_PENDING'],
    to: 'CANCELLED',
    changes: wasPaid
      ? { cancelReason: CancelReason.CustomerCancelled, refundPending: true }
      : { cancelReason: CancelReason.CustomerCancelled, paymentCancelPending: true },
    event: 'order.cancelled',
    outcome: (next) => ({ kind: 'cancelled', order: toOrderView(next) }),
  });
  // The order moved under us (paid or cancelled a moment ago): go again from its new state.
  if (!cancelled) {
    if (attempt >= 3) throw new ConflictError('CONFLICT', 'The order is changing; try again');
    return cancelWithRetry(deps, principal, orderId, attempt + 1);
  }
  await finishOrder(deps, cancelled);
  return toOrderView((await deps.store.findById(orderId)) ?? cancelled);
}
