import { z } from 'zod';
import { currencyCode, idempotencyKey } from '@surge/contracts';

/** Request shapes of docs/internal-apis.md ("Payment service") and docs/api-contract.md (GET /api/payments). */
// The shared ISO 4217 list: amounts are in the currency's minor unit (docs/internal-apis.md).
const currency = currencyCode;

export const chargeBody = z.strictObject({
  orderId: z.uuid(),
  userId: z.uuid(),
  // Whole minor units of the currency; the bound keeps amounts exact as JavaScript numbers.
  amountCents: z.number().int().min(0).max(1_000_000_000_000),
  currency: currency.default('USD'),
  token: z.string().min(1).max(200),
});

/** The key must be the order id; the route compares the two after reading the body. */
export const idempotencyHeaders = z.object({
  'idempotency-key': idempotencyKey,
});

export const orderBody = z.strictObject({ orderId: z.uuid() });

/**
 * A given orderId must be a uuid; a parameter the route does not take is a 400, as an
 * unknown body field is: ignored, a misspelt filter (`?orderid=`) listed every payment as
 * if unfiltered, and an outside fuzzer counted it a schema-violating request accepted.
 */
export const listQuery = z.strictObject({ orderId: z.uuid().optional() });
