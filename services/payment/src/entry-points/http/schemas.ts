import { z } from 'zod';

/**
 * Request shapes of docs/api-contract.md (GET /api/payments). The internal API's
 * requests are in packages/contracts (payment-api.ts).
 */

/** Unknown query parameters are ignored; a given orderId must be a uuid. */
export const listQuery = z.object({ orderId: z.uuid().optional() });
