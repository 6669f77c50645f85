import { randomUUID } from 'node:crypto';
import { ConflictError, ValidationError } from '@surge/errors';
import { isSameRequest, outcomeOfToken, type Charge, type ChargeRequest } from './charge';
import type { ChargeStore } from './ports';

export interface CreateChargeResult {
  charge: Charge;
  /** True when this call captured or declined; false for a replay of an earlier call. */
  created: boolean;
}

/**
 * Charges a card once per idempotency key. The insert is the decision: the key is the
 * primary key and the insert skips on conflict, so however many identical requests
 * race, one row (one capture) exists and every caller gets its answer. The same key
 * with another amount, currency or token is 422: answering the first charge would hide
 * a caller bug, charging again would break the key's promise.
 */
export async function createCharge(
  deps: { charges: ChargeStore },
  request: ChargeRequest,
): Promise<CreateChargeResult> {
  const outcome = outcomeOfToken(request.token);
  if (!outcome) {
    throw new ValidationError('The payment token is not known', [
      { path: 'token', message: 'unknown payment token (the simulator knows tok_visa and tok_decline)' },
    ]);
  }
  const { charge, created } = await deps.charges.insertOrFind({
    id: randomUUID(),
    ...request,
    outcome,
    refundId: null,
    refundedAt: null,
    createdAt: new Date(),
  });
  if (!created && !isSameRequest(charge, request)) {
    throw new ConflictError(
      'IDEMPOTENCY_KEY_REUSED',
      'This idempotency key was used for a different charge',
      { details: { chargeId: charge.id } },
    );
  }
  return { charge, created };
}
