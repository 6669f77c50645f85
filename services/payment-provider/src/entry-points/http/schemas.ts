import { z } from 'zod';

/** Printable ASCII without spaces: safe to store, log and put in a URL path. */
export const idempotencyKey = z
  .string({ error: 'is required' })
  .regex(/^[\x21-\x7E]{1,255}$/, 'must be 1..255 printable characters without spaces');

export const idempotencyHeaders = z.object({ 'idempotency-key': idempotencyKey });

export const chargeBody = z.strictObject({
  // Whole cents; the bound keeps amounts exact as JavaScript numbers.
  amountCents: z.number().int().min(0).max(1_000_000_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
  token: z.string().min(1).max(200),
});

export const refundBody = z.strictObject({ chargeId: z.uuid() });
