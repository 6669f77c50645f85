import type { Payment, PaymentEvent, PaymentEventType, ProviderOutcome } from './payment';

/** A change to one payment and the events it announces, committed together. */
export interface Transition {
  payment: Payment;
  events: PaymentEvent[];
}

const unchanged = (payment: Payment): Transition => ({ payment, events: [] });

/** Pure state machine: each function decides, under the row lock, what to write. */
class Draft {
  readonly events: PaymentEvent[] = [];
  constructor(public payment: Payment) {}
  set(changes: Partial<Payment>): void {
    this.payment = { ...this.payment, ...changes };
  }
  announce(type: PaymentEventType): void {
    this.payment = { ...this.payment, version: this.payment.version + 1 };
    this.events.push({ type, version: this.payment.version });
  }
  done(): Transition {
    return { payment: this.payment, events: this.events };
  }
}

/**
 * Records the provider's answer, from the charge call or from a lookup. Idempotent:
 * once a provider charge is recorded, a second report of it changes nothing (the
 * charge call and the reconciler may both learn it). On a cancelled payment the
 * status stays CANCELLED, so a replayed charge is still refused, and a capture is
 * recorded as owed back (see owesRefund).
 */
export function recordProviderOutcome(payment: Payment, outcome: ProviderOutcome, now: Date): Transition {
  if (payment.providerChargeId !== null) return unchanged(payment);
  if (payment.status !== 'PENDING' && payment.status !== 'CANCELLED') return unchanged(payment);
  const draft = new Draft(payment);
  const pending = payment.status === 'PENDING';
  draft.set({ providerChargeId: outcome.chargeId, chargeInFlight: false });
  if (outcome.status === 'declined') {
    draft.set({ declinedAt: now, ...(pending ? { status: 'DECLINED' as const } : {}) });
    draft.announce('payment.declined');
    return draft.done();
  }
  draft.set({ capturedAt: now, ...(pending ? { status: 'CAPTURED' as const } : {}) });
  draft.announce('payment.captured');
  if (outcome.status === 'refunded') {
    draft.set({ refundedAt: now, status: 'REFUNDED' });
    draft.announce('payment.refunded');
  }
  return draft.done();
}

/** The provider refunded the capture: REFUNDED, once. Nothing captured or already refunded: no change. */
export function recordRefund(payment: Payment, now: Date): Transition {
  if (payment.capturedAt === null || payment.refundedAt !== null) return unchanged(payment);
  const draft = new Draft(payment);
  draft.set({ status: 'REFUNDED', refundedAt: now });
  draft.announce('payment.refunded');
  return draft.done();
}

/**
 * The order will never be charged: a pending or declined payment becomes CANCELLED.
 * No event: nothing happened to money. Captured payments are refunded by the caller
 * instead; cancelled and refunded ones stay as they are.
 */
export function cancelCharge(payment: Payment, now: Date = new Date()): Transition {
  if (payment.status !== 'PENDING' && payment.status !== 'DECLINED') return unchanged(payment);
  return { payment: { ...payment, status: 'CANCELLED', cancelledAt: now }, events: [] };
}
