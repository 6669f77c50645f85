import { z } from 'zod';
import { anyCaseUuid, MAX_STOCK } from '@surge/contracts';

/**
 * Inputs of the product service's internal API (docs/internal-apis.md); the public
 * catalog's are in @surge/contracts. Internal bodies ignore unknown fields, so the order
 * service can add some without a lockstep deploy.
 */
export const uuid = anyCaseUuid;

export const lookupBody = z.object({ ids: z.array(uuid).min(1).max(100) });

export const reserveBody = z.object({
  orderId: uuid,
  items: z
    .array(z.object({ productId: uuid, quantity: z.number().int().min(1).max(MAX_STOCK) }))
    .min(1)
    .max(100),
});
