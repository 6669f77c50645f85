/**
 * A charge as the simulated card processor keeps it. The idempotency key is its
 * natural identity: the same key always means the same charge.
 */
export type ChargeOutcome = 'captured' | 'declined';

export interface Charge {
  id: string;
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  token: string;
  /** The answer given the first time; it never changes (a refund is recorded beside it). */
  outcome: ChargeOutcome;
  refundId: string | null;
  refundedAt: Date | null;
  createdAt: Date;
}

export interface ChargeRequest {
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  token: string;
}

/** The test cards the simulator knows (docs/api-contract.md, "Payment tokens"). */
const OUTCOME_BY_TOKEN: Readonly<Record<string, ChargeOutcome>> = {
  tok_visa: 'captured',
  tok_decline: 'declined',
};

export function outcomeOfToken(token: string): ChargeOutcome | undefined {
  return Object.prototype.hasOwnProperty.call(OUTCOME_BY_TOKEN, token) ? OUTCOME_BY_TOKEN[token] : undefined;
}

/** A replay must be the same request; the same key with another body is a client bug. */
export function isSameRequest(charge: Charge, request: ChargeRequest): boolean {
  return (
    charge.amountCents === request.amountCents &&
    charge.currency === request.currency &&
    charge.token === request.token
  );
}

/** What POST /v1/charges answers: the first answer, whatever happened since. */
export function toChargeAnswer(charge: Charge) {
  return {
    id: charge.id,
    status: charge.outcome,
    amountCents: charge.amountCents,
    currency: charge.currency,
    createdAt: charge.createdAt.toISOString(),
  };
}

/** What GET /v1/charges/:key answers: the charge as it is now, refunds included. */
export function toChargeState(charge: Charge) {
  return {
    ...toChargeAnswer(charge),
    idempotencyKey: charge.idempotencyKey,
    status: charge.refundedAt ? ('refunded' as const) : charge.outcome,
    refundId: charge.refundId,
    refundedAt: charge.refundedAt?.toISOString() ?? null,
  };
}

/** What POST /v1/refunds answers: the one refund of a refunded charge. */
export function toRefundAnswer(charge: Charge) {
  // refundCharge answers only a refunded charge (or throws): anything else is a bug here.
  if (!charge.refundId || !charge.refundedAt) throw new Error(`charge ${charge.id} has no refund to answer`);
  return {
    id: charge.refundId,
    chargeId: charge.id,
    status: 'refunded' as const,
    amountCents: charge.amountCents,
    currency: charge.currency,
    refundedAt: charge.refundedAt.toISOString(),
  };
}
