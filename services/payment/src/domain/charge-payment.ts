import { randomUUID } from 'node:crypto';
import { DependencyError } from '@surge/errors';
import { claimOrAwait, type ClaimResult } from './charge-lease';
import { chargeInProgress, outcomeUnknown, paymentClosed, paymentDeclined, termsChanged } from './errors';
import { owesRefund, type ChargeTerms, type Payment } from './payment';
import type { PaymentDeps } from './ports';
import { recordChange } from './record-change';
import { refundCapture } from './settle-with-provider';
import { recordProviderOutcome } from './transitions';

export interface ChargeRequest extends ChargeTerms {
  orderId: string;
  token: string;
}

/**
 * Charges an order at most once, however often it is retried and whatever fails.
 * Invariant: at most one capture per order. The schema holds one payment per order
 * (unique order_id) and the provider holds one charge per key (key = order id); the
 * lease only spares the provider duplicate calls. No transaction stays open across the
 * provider call: the lease is a committed row update, so a slow provider holds no lock
 * and no connection, and a dead holder's lease simply runs out.
 */
export async function chargePayment(deps: PaymentDeps, request: ChargeRequest): Promise<Payment> {
  const { orderId } = request;
  // 1. Record the intent before any money moves. Protects: one payment per order, and
  //    no provider call for an order we have no record of. Dying here: a PENDING intent
  //    the provider never saw; the retry claims it and charges.
  // 2. Take the order's charge lease (or wait for the holder's outcome). Protects: one
  //    provider call at a time per order. Dying here: the lease runs out, a retry claims.
  //    The first charge of an order does both in one statement (the intent is born
  //    leased); a retry, or a payment that exists already, takes the two steps.
  const claim =
    (await deps.payments.recordClaimedIntent(intentOf(request), deps.attemptLeaseMs)) ??
    (await claimExisting(deps, request));
  if ('settled' in claim) return answerFor(claim.settled);

  // 3. Ask the provider, key = order id. Protects: one capture at the provider across
  //    retries, restarts and lost answers. Dying here or losing the answer: the payment
  //    stays PENDING; a retry gets the provider's first answer again, and the
  //    reconciler asks the provider if nobody retries.
  const answer = await callProvider(deps, request, claim.attemptId);

  // 4. Record the answer and its event in one transaction. Protects: the event exists
  //    if and only if the status changed. Dying before the commit: as in step 3.
  const recorded = await recordChange(
    deps,
    orderId,
    (locked) => recordProviderOutcome(locked, answer, new Date()),
    claim.payment,
  );
  // Cancelled while we were at the provider: the money goes back before we say no. If
  // the refund fails, the caller hears 503 and the reconciler finishes the refund.
  if (owesRefund(recorded)) await refundCapture(deps, recorded);
  return answerFor(recorded);
}

function intentOf(request: ChargeRequest) {
  return {
    id: randomUUID(),
    orderId: request.orderId,
    terms: { userId: request.userId, amountCents: request.amountCents, currency: request.currency },
  };
}

/** Steps 1 and 2 for an order that has a payment already: same terms, then the lease. */
async function claimExisting(deps: PaymentDeps, request: ChargeRequest): Promise<ClaimResult> {
  const intent = await deps.payments.recordIntent(intentOf(request));
  if (intent.terms && !sameTerms(intent.terms, request)) throw termsChanged(intent);
  return claimOrAwait(deps, request.orderId);
}

async function callProvider(deps: PaymentDeps, request: ChargeRequest, attemptId: string) {
  try {
    return await deps.provider.charge(request);
  } catch (error) {
    // No definite answer, or a rejected request: free the lease so a retry need not
    // wait it out. If even that fails, the lease runs out on its own.
    await deps.payments.releaseChargeAttempt(request.orderId, attemptId).catch(() => undefined);
    if (!(error instanceof DependencyError)) throw error;
    deps.metrics.count('pending');
    throw outcomeUnknown(request.orderId, error);
  }
}

/**
 * The answer a charge request gets: the one the first charge call for the order gave,
 * whatever happened since (Idempotency-Key = order id). A capture made before any
 * cancellation is a 201 even once refunded; a decline is a 402 even once the payment is
 * cancelled; a cancellation before any outcome is a 409, and so is a capture that
 * landed after it (it is refunded); no outcome yet is "in progress".
 */
function answerFor(payment: Payment): Payment {
  const cancelledAt = payment.cancelledAt;
  if (payment.capturedAt && !cancelledAt) return payment;
  if (payment.declinedAt && (!cancelledAt || payment.declinedAt <= cancelledAt))
    throw paymentDeclined(payment);
  if (payment.status === 'PENDING') throw chargeInProgress(payment.orderId);
  throw paymentClosed(payment);
}

function sameTerms(terms: ChargeTerms, request: ChargeTerms): boolean {
  return (
    terms.userId === request.userId &&
    terms.amountCents === request.amountCents &&
    terms.currency === request.currency
  );
}
