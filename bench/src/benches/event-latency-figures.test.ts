import { latencyRows, percentile } from './event-latency-figures';

describe('event latency figures', () => {
  it('takes the nearest-rank percentile, so p99 of 100 values is the 99th', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 0)).toBe(7);
  });

  it('reports NaN, not zero, for a run where nothing arrived', () => {
    const { effect } = latencyRows({ deliveries: [], effects: [] });
    expect(effect.count).toBe(0);
    expect(effect.p99).toBeNaN();
  });

  it('sorts before it ranks', () => {
    const { delivery } = latencyRows({ deliveries: [30, 10, 20], effects: [] });
    expect(delivery).toEqual({ count: 3, p50: 20, p90: 30, p99: 30, max: 30 });
  });
});
