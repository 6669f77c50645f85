import { z } from 'zod';
import { cursorField, defineCursor } from '../cursor';
import {
  currencyInAnswer,
  CURSOR_DESCRIPTION,
  instant,
  limitParam,
  minorUnits,
  named,
  pageOf,
  PRINTABLE_LINE,
} from './common';
import { MAX_LINE_QUANTITY } from './cart';

/** Checkout and the caller's orders (docs/api-contract.md, "Cart and orders"). */
const addressText = (max: number) =>
  z
    .string()
    .max(max)
    .trim()
    .min(1)
    // Control, format (bidi overrides, zero-width) and lone-surrogate characters: an
    // address is printed on labels and in emails, where a right-to-left override makes
    // it read differently from what is stored.
    .regex(PRINTABLE_LINE, 'must not contain control or format characters');

/** An order id in a path: a UUID, else 400 naming it. */
export const orderIdParam = z.uuid();

/**
 * Opaque keyset cursor over (createdAt, id): page 500 costs what page 1 does. The shared
 * codec checks both fields strictly, so a cursor this API did not issue is a 400 before
 * anything reaches SQL; the instant keeps its microseconds (Postgres's precision).
 */
export const orderCursor = defineCursor({
  list: 'orders',
  fields: [cursorField.microInstant, cursorField.uuid],
  toFields: (position: { createdAt: string; id: string }) => [position.createdAt, position.id],
  fromFields: ([createdAt, id]) => ({ createdAt, id }),
});

/** A parameter the route does not take is a 400, not ignored (payments.ts says why). */
export const listOrdersQuery = z.strictObject({
  limit: limitParam,
  cursor: orderCursor.param.optional().meta({ description: CURSOR_DESCRIPTION }),
});

export const orderLine = named(
  'OrderLine',
  'A product and how many of it to order.',
  z.strictObject({ productId: z.uuid(), quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY) }),
);

export const shippingAddress = named(
  'ShippingAddress',
  'Where the order goes.',
  z.strictObject({
    name: addressText(100),
    line1: addressText(200),
    city: addressText(100),
    postalCode: addressText(20),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code, e.g. US')
      .meta({ description: 'ISO 3166-1 alpha-2 code.', examples: ['US'] }),
  }),
);

export const placeOrderBody = named(
  'PlaceOrderRequest',
  'What to order, where to ship it and how to pay. Without `items` the cart is ordered, and emptied on success.',
  z.strictObject({
    items: z
      .array(orderLine)
      .min(1)
      .max(50)
      .refine(
        (lines) => new Set(lines.map((line) => line.productId)).size === lines.length,
        'each product at most once',
      )
      .optional()
      .meta({ description: 'Up to 50 lines, each product at most once.' }),
    shippingAddress,
    payment: z
      .strictObject({
        token: z
          .string()
          .regex(/^tok_[A-Za-z0-9_]{1,60}$/, 'a payment token such as tok_visa')
          .meta({
            description:
              'A payment token. With the bundled simulator `tok_visa` approves and `tok_decline` declines; a token the provider does not know is 400.',
            examples: ['tok_visa'],
          }),
      })
      .meta({ description: 'How to pay.' }),
  }),
);

export const orderStatus = named(
  'OrderStatus',
  'PENDING -> PAYMENT_PENDING -> PAID, or -> CANCELLED.',
  z.enum(['PENDING', 'PAYMENT_PENDING', 'PAID', 'CANCELLED']),
);

export const order = named(
  'Order',
  'An order and where it stands.',
  z.object({
    id: z.uuid(),
    userId: z.uuid(),
    status: orderStatus,
    items: z.array(
      z.object({
        productId: z.uuid(),
        quantity: z.number().int().min(1),
        priceCents: minorUnits(Number.MAX_SAFE_INTEGER),
      }),
    ),
    totalCents: minorUnits(Number.MAX_SAFE_INTEGER),
    currency: currencyInAnswer,
    shippingAddress: z.object({
      name: z.string(),
      line1: z.string(),
      city: z.string(),
      postalCode: z.string(),
      country: z.string(),
    }),
    createdAt: instant,
    updatedAt: instant,
    cancelReason: z
      .string()
      .optional()
      .meta({ examples: ['PAYMENT_DECLINED'] }),
  }),
);

export const orderList = named('OrderList', "One page of the caller's orders, newest first.", pageOf(order));
