import { z } from 'zod';

/**
 * The event catalogue (docs/api-contract.md, "Events"). One topic per aggregate keeps one
 * aggregate's events in order; every event's data carries the aggregate's `version`
 * (a counter per aggregate) so consumers can drop stale or repeated events. Producers
 * validate when writing to the outbox and consumers when decoding.
 */
const version = z.number().int().positive();
const money = { currency: z.string().regex(/^[A-Z]{3}$/) };
const orderLine = z.object({
  productId: z.uuid(),
  quantity: z.number().int().positive(),
  priceCents: z.number().int().nonnegative(),
});

export const eventSchemas = {
  'user.registered': z.object({ userId: z.uuid(), email: z.email(), name: z.string(), version }),

  'product.updated': z.object({
    productId: z.uuid(),
    sku: z.string(),
    name: z.string(),
    priceCents: z.number().int().nonnegative(),
    ...money,
    stock: z.number().int().nonnegative(),
    version,
  }),

  'order.created': z.object({
    orderId: z.uuid(),
    userId: z.uuid(),
    items: z.array(orderLine).min(1),
    totalCents: z.number().int().nonnegative(),
    ...money,
    version,
  }),
  'order.paid': z.object({
    orderId: z.uuid(),
    userId: z.uuid(),
    totalCents: z.number().int().nonnegative(),
    ...money,
    paymentId: z.uuid(),
    version,
  }),
  'order.cancelled': z.object({
    orderId: z.uuid(),
    userId: z.uuid(),
    reason: z.string(),
    totalCents: z.number().int().nonnegative(),
    ...money,
    version,
  }),

  'payment.captured': z.object({
    paymentId: z.uuid(),
    orderId: z.uuid(),
    userId: z.uuid(),
    amountCents: z.number().int().nonnegative(),
    ...money,
    version,
  }),
  'payment.declined': z.object({
    paymentId: z.uuid(),
    orderId: z.uuid(),
    userId: z.uuid(),
    amountCents: z.number().int().nonnegative(),
    ...money,
    reason: z.string(),
    version,
  }),
  'payment.refunded': z.object({
    paymentId: z.uuid(),
    orderId: z.uuid(),
    userId: z.uuid(),
    amountCents: z.number().int().nonnegative(),
    ...money,
    version,
  }),
} as const;

export type EventType = keyof typeof eventSchemas;
export type EventData<T extends EventType> = z.infer<(typeof eventSchemas)[T]>;

export const TOPICS = ['users', 'products', 'orders', 'payments'] as const;
export type Topic = (typeof TOPICS)[number];

/** The topic each event type is published to: its aggregate's. */
export const topicOf: Record<EventType, Topic> = {
  'user.registered': 'users',
  'product.updated': 'products',
  'order.created': 'orders',
  'order.paid': 'orders',
  'order.cancelled': 'orders',
  'payment.captured': 'payments',
  'payment.declined': 'payments',
  'payment.refunded': 'payments',
};

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(eventSchemas, value);
}
