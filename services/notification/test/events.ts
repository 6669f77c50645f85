import { randomUUID } from 'node:crypto';
import type { EventData, EventType } from '@surge/contracts';
import { newEvent, type CloudEvent } from '@surge/messaging';
import { uniqueEmail } from '@surge/testing';

function event<T extends EventType>(type: T, subject: string, data: EventData<T>): CloudEvent<T> {
  return newEvent(type, `/surge/${type.split('.')[0]}-test`, subject, data);
}

/** Data factories with overrides: unique ids and emails unless a test pins them. */
export const events = {
  userRegistered(overrides: Partial<EventData<'user.registered'>> = {}) {
    const data = { userId: randomUUID(), email: uniqueEmail(), name: 'Ada Test', version: 1, ...overrides };
    return event('user.registered', data.userId, data);
  },
  orderCreated(userId: string, overrides: Partial<EventData<'order.created'>> = {}) {
    const data = {
      orderId: randomUUID(),
      userId,
      items: [{ productId: randomUUID(), quantity: 1, priceCents: 4_250 }],
      totalCents: 4_250,
      currency: 'USD',
      version: 1,
      ...overrides,
    };
    return event('order.created', data.orderId, data);
  },
  orderPaid(userId: string, overrides: Partial<EventData<'order.paid'>> = {}) {
    const data = {
      orderId: randomUUID(),
      userId,
      totalCents: 4_250,
      currency: 'USD',
      paymentId: randomUUID(),
      version: 3,
      ...overrides,
    };
    return event('order.paid', data.orderId, data);
  },
  orderCancelled(userId: string, overrides: Partial<EventData<'order.cancelled'>> = {}) {
    const data = {
      orderId: randomUUID(),
      userId,
      reason: 'CUSTOMER_REQUEST',
      totalCents: 1_999,
      currency: 'USD',
      version: 4,
      ...overrides,
    };
    return event('order.cancelled', data.orderId, data);
  },
  paymentRefunded(userId: string, overrides: Partial<EventData<'payment.refunded'>> = {}) {
    const data = {
      paymentId: randomUUID(),
      orderId: randomUUID(),
      userId,
      amountCents: 1_999,
      currency: 'USD',
      version: 2,
      ...overrides,
    };
    return event('payment.refunded', data.paymentId, data);
  },
};
