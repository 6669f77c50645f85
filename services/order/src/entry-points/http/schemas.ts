import { z } from 'zod';
import { orderCursor } from './cursor';

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // Control, format (bidi overrides, zero-width) and lone-surrogate characters: an
    // address is printed on labels and in emails, where a right-to-left override makes
    // it read differently from what is stored.
    .regex(/^[^\p{Cc}\p{Cf}\p{Cs}]+$/u, 'must not contain control or format characters');

export const productIdParam = z.uuid();
export const orderIdParam = z.uuid();

export const cartItemBody = z.strictObject({ quantity: z.number().int().min(1).max(100) });

const orderLine = z.strictObject({ productId: z.uuid(), quantity: z.number().int().min(1).max(100) });

export const placeOrderBody = z.strictObject({
  items: z
    .array(orderLine)
    .min(1)
    .max(50)
    .refine(
      (lines) => new Set(lines.map((line) => line.productId)).size === lines.length,
      'each product at most once',
    )
    .optional(),
  shippingAddress: z.strictObject({
    name: text(100),
    line1: text(200),
    city: text(100),
    postalCode: text(20),
    country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code, e.g. US'),
  }),
  payment: z.strictObject({
    token: z.string().regex(/^tok_[A-Za-z0-9_]{1,60}$/, 'a payment token such as tok_visa'),
  }),
});

/** Idempotency-Key: the contract's one rule (packages/contracts/src/idempotency.ts). */
export { idempotencyKey } from '@surge/contracts';

/** A parameter the route does not take is a 400, not ignored (payment's listQuery says why). */
export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: orderCursor.param.optional(),
});
