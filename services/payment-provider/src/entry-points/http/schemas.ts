import { z } from 'zod';
import { currencyCode, idempotencyKey } from '@surge/contracts';

/** The contract's one Idempotency-Key rule (packages/contracts/src/idempotency.ts). */
export { idempotencyKey };

export const idempotencyHeaders = z.object({ 'idempotency-key': idempotencyKey });

export const chargeBody = z.strictObject({
  // Whole minor units; the bound keeps amounts exact as JavaScript numbers.
  amountCents: z.number().int().min(0).max(1_000_000_000_000),
  // ISO 4217 from the shared list; the amount is in that currency's minor unit (yen for JPY).
  currency: currencyCode,
  token: z.string().min(1).max(200),
});

export const refundBody = z.strictObject({ chargeId: z.uuid() });
