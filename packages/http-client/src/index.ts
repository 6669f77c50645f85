export * from './service-client';
export { DEFAULT_BREAKER, type BreakerOptions } from './breaker';
export { DEFAULT_RETRY, backoffDelayMs, type RetryOptions, type RetryPolicy } from './backoff';
export { DEFAULT_RETRY_BUDGET, RetryBudget, type RetryBudgetOptions } from './retry-budget';
export { isFailureStatus, isIdempotentCall } from './call-policy';
export type { AttemptOutcome, BreakerState, ServiceClientEvent } from './client-events';
export {
  DEADLINE_HEADER,
  MAX_DEADLINE_MS,
  parseDeadlineHeader,
  remainingBudgetMs,
  runWithDeadline,
} from './deadline';
