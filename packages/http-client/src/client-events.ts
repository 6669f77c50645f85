/** Where a breaker stands: closed lets calls through, open refuses them, half-open lets one trial through. */
export type BreakerState = 'closed' | 'half-open' | 'open';

/**
 * How one attempt ended, as counted in `upstream_requests_total{outcome}`. A 4xx (and
 * 501) is `client_error`: a healthy answer. `circuit_open` and `deadline_exceeded` never
 * reached the network.
 */
export type AttemptOutcome =
  | 'success'
  | 'client_error'
  | 'server_error'
  | 'network_error'
  | 'timeout'
  | 'circuit_open'
  | 'deadline_exceeded';

/**
 * What a ServiceClient reports through `onEvent`, so that tracing can add span events
 * (and tests can watch) without the client knowing about either.
 */
export type ServiceClientEvent =
  | { type: 'attempt'; upstream: string; attempt: number; method: string; path: string; timeoutMs: number }
  | { type: 'attempt-end'; upstream: string; attempt: number; outcome: AttemptOutcome; status?: number }
  | { type: 'retry'; upstream: string; attempt: number; delayMs: number }
  | { type: 'retry-budget-exhausted'; upstream: string }
  | { type: 'failover'; upstream: string; from: string; to: string }
  | { type: 'breaker'; upstream: string; state: BreakerState };
