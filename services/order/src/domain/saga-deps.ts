import type { Logger } from '@surge/logger';
import type { Inventory, OrderStore, Payments } from './ports';
import type { SagaMetrics } from './saga-telemetry';

export interface SagaPolicy {
  /** How long a checkout request owns its order before the worker may act on it. */
  leaseSeconds: number;
  /** How long the worker owns an order it picked up; after a worker crash, another takes over. */
  workerLeaseSeconds: number;
  /** How long an unknown payment outcome may stay unknown before the order is cancelled. */
  paymentDeadlineSeconds: number;
  /** Backoff of payment retries: base, doubled per attempt, capped; full jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
}

export interface SagaDeps {
  store: OrderStore;
  inventory: Inventory;
  payments: Payments;
  policy: SagaPolicy;
  logger: Logger;
  /** Checkout outcomes and recovery actions (spans need no dependency: @surge/telemetry). */
  metrics: SagaMetrics;
  now?: () => Date;
}

export const nowOf = (deps: SagaDeps): Date => (deps.now ? deps.now() : new Date());

/** Exponential backoff with full jitter: retries of many orders do not arrive in lockstep. */
export function nextAttemptAt(deps: SagaDeps, attempts: number): Date {
  const ceiling = Math.min(deps.policy.retryMaxMs, deps.policy.retryBaseMs * 2 ** Math.min(attempts, 20));
  return new Date(nowOf(deps).getTime() + deps.policy.retryBaseMs + Math.random() * ceiling);
}
