import { parsePrometheusText, sumOf } from './prometheus-text';

const TEXT = `# HELP circuit_breaker_state Circuit breaker state per upstream
# TYPE circuit_breaker_state gauge
circuit_breaker_state{service="order",upstream="payment"} 2
circuit_breaker_state{service="order",upstream="product"} 0
kafka_consumer_lag{group="notification",topic="orders",partition="0"} 3
kafka_consumer_lag{group="notification",topic="orders",partition="1"} 4
outbox_pending_events 7
weird{label="a \\"quoted\\" value"} 1
not a sample
`;

describe('the Prometheus text parser', () => {
  it('reads names, labels and values, and skips comments and junk', () => {
    const samples = parsePrometheusText(TEXT);
    expect(samples).toHaveLength(6);
    expect(samples[0]).toEqual({
      name: 'circuit_breaker_state',
      labels: { service: 'order', upstream: 'payment' },
      value: 2,
    });
    expect(samples.at(-1)?.labels.label).toBe('a "quoted" value');
  });

  it('sums the samples that match some labels', () => {
    const samples = parsePrometheusText(TEXT);
    expect(sumOf(samples, 'kafka_consumer_lag', { group: 'notification' })).toBe(7);
    expect(sumOf(samples, 'outbox_pending_events')).toBe(7);
  });
});
