import { z } from 'zod';
import { minorUnits, named } from './common';

/** The caller's cart (docs/api-contract.md, "Cart and orders"). */
export const MAX_LINE_QUANTITY = 100;

/** A product id in a cart path: a UUID, else 400 naming it. */
export const cartProductIdParam = z.uuid();

export const setCartItemBody = named(
  'SetCartItemRequest',
  'How many of the product the cart holds from now on.',
  z.strictObject({ quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY) }),
);

export const cartItem = named(
  'CartItem',
  "A line of the cart at the product's price today.",
  z.object({
    productId: z.uuid(),
    quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
    priceCents: minorUnits(Number.MAX_SAFE_INTEGER),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .meta({ description: "The product's ISO 4217 currency today.", examples: ['USD'] }),
  }),
);

export const cart = named(
  'Cart',
  "The caller's cart with today's prices; products that no longer exist are left out.",
  z.object({
    items: z.array(cartItem),
    totalCents: z.number().int().min(0).nullable().meta({
      description:
        'The sum of the lines in the minor unit of `currency`. Null, with `currency` null, only when the lines are in more than one currency (a product changed currency after it was put in the cart): checkout then answers 409 CURRENCY_MISMATCH until a line is removed.',
    }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullable()
      .meta({
        description: 'ISO 4217 code of every line; USD for an empty cart; null when the lines disagree.',
        examples: ['USD'],
      }),
  }),
);
