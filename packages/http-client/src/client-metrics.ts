import { Counter, Gauge, type Registry } from 'prom-client';
import type { BreakerState } from './client-events';

export interface ClientMetrics {
  breakerState: Gauge<'upstream'>;
  breakerTransitions: Counter<'upstream' | 'to'>;
  requests: Counter<'upstream' | 'outcome'>;
  retries: Counter<'upstream'>;
  retryBudgetExhausted: Counter<'upstream'>;
  timeouts: Counter<'upstream'>;
}

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };
const byRegistry = new WeakMap<Registry, ClientMetrics>();

/**
 * The metrics of every ServiceClient on one registry, created once: a service has one
 * client per upstream, and they share the series, told apart by the `upstream` label.
 */
export function clientMetrics(registry: Registry): ClientMetrics {
  let metrics = byRegistry.get(registry);
  if (metrics) return metrics;
  const registers = [registry];
  metrics = {
    breakerState: new Gauge({
      name: 'circuit_breaker_state',
      help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream'],
      registers,
    }),
    breakerTransitions: new Counter({
      name: 'circuit_breaker_transitions_total',
      help: 'Circuit breaker state changes per upstream, by the state entered',
      labelNames: ['upstream', 'to'],
      registers,
    }),
    requests: new Counter({
      name: 'upstream_requests_total',
      help: 'Attempts to call an upstream (retries included), by outcome',
      labelNames: ['upstream', 'outcome'],
      registers,
    }),
    retries: new Counter({
      name: 'upstream_retries_total',
      help: 'Retries sent to an upstream',
      labelNames: ['upstream'],
      registers,
    }),
    retryBudgetExhausted: new Counter({
      name: 'upstream_retry_budget_exhausted_total',
      help: 'Retries not sent because the retry budget of the upstream was spent',
      labelNames: ['upstream'],
      registers,
    }),
    timeouts: new Counter({
      name: 'upstream_timeouts_total',
      help: 'Attempts that got no answer within their time',
      labelNames: ['upstream'],
      registers,
    }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}

export function breakerStateValue(state: BreakerState): number {
  return STATE_VALUE[state];
}
