import { CancelReason, toOrderView, type Order } from './order';
import type { CheckoutOutcome } from './checkout-outcome';
import type { ChargeOutcome } from './ports';
import { finishOrder } from './finish-order';
import { nextAttemptAt, nowOf, type SagaDeps } from './saga-deps';

const PENDING: Order['status'][] = ['PENDING', 'PAYMENT_PENDING'];

/**
 * Applies a charge's outcome to the order. Every transition is conditional on the order
 * still waiting for payment, and writes the new status, its event (outbox) and the
 * checkout's stored answer in one transaction: the answer a client sees, the order's
 * state and the events announced can never disagree. `order` is the order as the caller
 * last read or wrote it: while the row is unchanged, each transition is one statement.
 * `answered` hears the checkout's answer when the transition stored it.
 */
export async function settlePayment(
  deps: SagaDeps,
  order: Order,
  outcome: ChargeOutcome,
  answered?: (outcome: CheckoutOutcome) => void,
): Promise<Order> {
  const { store } = deps;
  const held = { known: order, ...(answered ? { answered } : {}) };
  switch (outcome.kind) {
    case 'captured': {
      const paid = await store.transition({
        ...held,
        orderId: order.id,
        from: PENDING,
        to: 'PAID',
        changes: { paymentId: outcome.paymentId },
        event: 'order.paid',
        outcome: (next) => ({ kind: 'paid', order: toOrderView(next) }),
      });
      if (paid) {
        await finishOrder(deps, paid);
        return paid;
      }
      // Cancelled while the charge was in flight: the capture must not stand.
      await store.markFollowUp(order.id, { refundPending: true });
      return finishCurrent(deps, order.id);
    }
    case 'declined':
    case 'rejected':
    case 'cancelled': {
      const reason =
        outcome.kind === 'declined'
          ? CancelReason.PaymentDeclined
          : outcome.kind === 'rejected'
            ? CancelReason.PaymentRejected
            : CancelReason.PaymentTimeout;
      const cancelled = await store.transition({
        ...held,
        orderId: order.id,
        from: PENDING,
        to: 'CANCELLED',
        changes: { cancelReason: reason },
        event: 'order.cancelled',
        outcome: (next) =>
          outcome.kind === 'declined'
            ? { kind: 'declined', orderId: next.id }
            : outcome.kind === 'rejected'
              ? { kind: 'rejected', orderId: next.id, detail: outcome.detail }
              : { kind: 'cancelled', order: toOrderView(next) },
      });
      return cancelled ? (await finishOrder(deps, cancelled), cancelled) : finishCurrent(deps, order.id);
    }
    case 'unknown': {
      if (nowOf(deps) >= order.paymentDeadline) return giveUpOnPayment(deps, order);
      const pending = await store.transition({
        ...held,
        orderId: order.id,
        from: PENDING,
        to: 'PAYMENT_PENDING',
        changes: { countAttempt: true, nextAttemptAt: nextAttemptAt(deps, order.paymentAttempts + 1) },
        outcome: (next) => ({ kind: 'payment-pending', order: toOrderView(next) }),
      });
      return pending ?? finishCurrent(deps, order.id);
    }
  }
}

/**
 * The payment outcome stayed unknown past the deadline: cancel the order. The payment
 * service is told never to charge it (and refunds a capture whose answer was lost), then
 * the stock is released; both are retried until they succeed.
 */
export async function giveUpOnPayment(deps: SagaDeps, order: Order): Promise<Order> {
  const cancelled = await deps.store.transition({
    orderId: order.id,
    from: PENDING,
    to: 'CANCELLED',
    changes: { cancelReason: CancelReason.PaymentTimeout, paymentCancelPending: true },
    event: 'order.cancelled',
    outcome: (next) => ({ kind: 'cancelled', order: toOrderView(next) }),
  });
  return cancelled ? (await finishOrder(deps, cancelled), cancelled) : finishCurrent(deps, order.id);
}

/** Someone else moved the order first: do what its current state still needs. */
async function finishCurrent(deps: SagaDeps, orderId: string): Promise<Order> {
  const current = await deps.store.findById(orderId);
  if (!current) throw new Error(`order ${orderId} vanished`);
  await finishOrder(deps, current);
  return current;
}
