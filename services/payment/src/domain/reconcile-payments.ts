import { DependencyError } from '@surge/errors';
import type { PaymentDeps } from './ports';
import { settleWithProvider } from './settle-with-provider';

export interface ReconcileOptions {
  /** Only attempts at least this old: younger ones may still get their answer. */
  minAgeMs: number;
  /** How long after its last attempt a cancelled order is still checked for a late capture. */
  cancelledWindowMs: number;
  batchSize: number;
}

export interface ReconcileReport {
  checked: number;
  settled: number;
  /** Set when the provider stopped answering; the rest waits for the next pass. */
  providerError?: DependencyError;
}

/**
 * One reconciliation pass: makes "captured, but the answer was lost" converge even
 * when nobody retries. For each unsettled payment (a PENDING attempt past minAgeMs, a
 * cancelled order that had an attempt, a refund still owed) the provider is asked by
 * idempotency key and the answer recorded with its event. Charges in flight are left
 * alone (their lease is live). Dying mid-pass loses nothing: the next pass asks again.
 */
export async function reconcilePayments(
  deps: PaymentDeps,
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  const due = await deps.payments.findUnsettled({
    minAgeMs: options.minAgeMs,
    cancelledWindowMs: options.cancelledWindowMs,
    limit: options.batchSize,
  });
  let settled = 0;
  let checked = 0;
  for (const payment of due) {
    checked += 1;
    try {
      const after = await settleWithProvider(deps, payment);
      // Every recorded change announces an event, which bumps the version.
      if (after.version !== payment.version) settled += 1;
    } catch (error) {
      // The provider is down: asking about the next payment would fail the same way.
      if (error instanceof DependencyError) return { checked, settled, providerError: error };
      throw error;
    }
  }
  return { checked, settled };
}
