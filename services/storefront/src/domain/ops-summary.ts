import { samplesNamed, sumOf, type Sample } from './prometheus-text';

/** What the console shows of one running instance, read from its /metrics. */
export interface InstanceSummary {
  service: string;
  url: string;
  up: boolean;
  breakers: Array<{
    upstream: string;
    state: 'closed' | 'half-open' | 'open';
    retries: number;
    budgetExhausted: number;
  }>;
  outboxPending: number | undefined;
  outboxOldestSeconds: number | undefined;
  lagByGroup: Record<string, number>;
  deadLettered: number | undefined;
}

const BREAKER_STATES = ['closed', 'half-open', 'open'] as const;

export function summariseInstance(
  service: string,
  url: string,
  samples: Sample[] | undefined,
): InstanceSummary {
  if (!samples) {
    return {
      service,
      url,
      up: false,
      breakers: [],
      outboxPending: undefined,
      outboxOldestSeconds: undefined,
      lagByGroup: {},
      deadLettered: undefined,
    };
  }
  const breakers = samplesNamed(samples, 'circuit_breaker_state').map((sample) => {
    const upstream = sample.labels.upstream ?? '?';
    return {
      upstream,
      state: BREAKER_STATES[sample.value] ?? 'open',
      retries: sumOf(samples, 'upstream_retries_total', { upstream }),
      budgetExhausted: sumOf(samples, 'upstream_retry_budget_exhausted_total', { upstream }),
    };
  });
  const lagByGroup: Record<string, number> = {};
  for (const sample of samplesNamed(samples, 'kafka_consumer_lag')) {
    const group = sample.labels.group ?? '?';
    lagByGroup[group] = (lagByGroup[group] ?? 0) + sample.value;
  }
  const has = (name: string) => samplesNamed(samples, name).length > 0;
  return {
    service,
    url,
    up: true,
    breakers,
    outboxPending: has('outbox_pending_events') ? sumOf(samples, 'outbox_pending_events') : undefined,
    outboxOldestSeconds: has('outbox_oldest_pending_age_seconds')
      ? sumOf(samples, 'outbox_oldest_pending_age_seconds')
      : undefined,
    lagByGroup,
    deadLettered: has('kafka_dead_lettered_total') ? sumOf(samples, 'kafka_dead_lettered_total') : undefined,
  };
}
