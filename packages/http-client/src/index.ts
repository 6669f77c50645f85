export * from './service-client';
export { DEFAULT_BREAKER, type BreakerOptions } from './breaker';
export { DEFAULT_RETRY, backoffDelayMs, type RetryOptions, type RetryPolicy } from './backoff';
export { DEFAULT_RETRY_BUDGET, RetryBudget, type RetryBudgetOptions } from './retry-budget';
export { isFailureStatus, isIdempotentCall } from './call-policy';
export { callRoute, type RouteCallOptions } from './call-route';
export type { AttemptOutcome, BreakerState, ServiceClientEvent } from './client-events';
export {
  DEADLINE_HEADER,
  MAX_DEADLINE_MS,
  parseDeadlineHeader,
  remainingBudgetMs,
  runWithDeadline,
} from './deadline';
export { DEFAULT_CLIENT_EJECTION, ServiceInstances, type ClientInstance } from './service-instances';
export {
  AddressSource,
  DEFAULT_REFRESH_INTERVAL_MS,
  resolveWithSystemDns,
  type ResolveHost,
} from './upstreams/address-source';
export { isConnectionFailure } from './upstreams/connection-failures';
export {
  ejectionDurationMs,
  mayEject,
  type EjectionCounts,
  type EjectionPolicy,
} from './upstreams/ejection-policy';
export { pickLeastLoadedOfTwo, type Loaded, type RandomSource } from './upstreams/instance-balancer';
export {
  InstanceState,
  type HealthCheckPolicy,
  type HealthTransition,
  type InstanceCondition,
} from './upstreams/instance-state';
export * from './upstreams/upstream-addresses';
