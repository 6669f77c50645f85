import type { OutboxInput } from '@surge/messaging';
import type { Order } from '../domain/order';

const SOURCE = '/surge/order';

export type OrderEventType = 'order.created' | 'order.paid' | 'order.cancelled';

/** The event that announces an order's new state, built from the order as written. */
export function orderEvent(type: OrderEventType, order: Order): OutboxInput<OrderEventType> {
  const base = {
    orderId: order.id,
    userId: order.userId,
    totalCents: order.totalCents,
    currency: order.currency,
    version: order.version,
  };
  switch (type) {
    case 'order.created':
      return { type, source: SOURCE, subject: order.id, data: { ...base, items: order.items } };
    case 'order.paid':
      return { type, source: SOURCE, subject: order.id, data: { ...base, paymentId: order.paymentId ?? '' } };
    case 'order.cancelled':
      return {
        type,
        source: SOURCE,
        subject: order.id,
        data: { ...base, reason: order.cancelReason ?? 'UNKNOWN' },
      };
  }
}
