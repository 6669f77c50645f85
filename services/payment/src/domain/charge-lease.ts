import type { Payment } from './payment';
import type { PaymentDeps } from './ports';
import { chargeInProgress } from './errors';

const POLL_MS = 50;

export type ClaimResult = { attemptId: string; payment: Payment } | { settled: Payment };

/**
 * Takes the order's charge lease, or waits for whoever holds it. Concurrent charges of
 * one order thus make one provider call, and the others answer with its outcome. A
 * holder that died frees the lease when it runs out. Waiting is bounded by the lease:
 * after that the caller hears "in progress" (503) and retries.
 */
export async function claimOrAwait(deps: PaymentDeps, orderId: string): Promise<ClaimResult> {
  const deadline = Date.now() + deps.attemptLeaseMs;
  for (;;) {
    const claim = await deps.payments.claimChargeAttempt(orderId, deps.attemptLeaseMs);
    if (claim.claimed) return { attemptId: claim.attemptId, payment: claim.payment };
    if (claim.payment.status !== 'PENDING') return { settled: claim.payment };
    if (Date.now() >= deadline) throw chargeInProgress(orderId);
    await sleep(POLL_MS);
  }
}

/** Waits (bounded by the lease) until no charge call for the payment's order is in flight. */
export async function awaitChargeInFlight(deps: PaymentDeps, payment: Payment): Promise<Payment> {
  const deadline = Date.now() + deps.attemptLeaseMs;
  let current = payment;
  while (current.chargeInFlight && Date.now() < deadline) {
    await sleep(POLL_MS);
    current = (await deps.payments.findByOrder(current.orderId)) ?? current;
  }
  return current;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
