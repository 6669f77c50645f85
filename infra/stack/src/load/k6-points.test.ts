import {
  bucketize,
  measure,
  measureByFlow,
  parsePointLine,
  percentile,
  type RequestPoint,
} from './k6-points';

const T0 = Date.parse('2026-11-27T08:00:00.000Z');

function line(metric: string, ms: number, offsetMs: number, tags: Record<string, string>): string {
  const time = new Date(T0 + offsetMs).toISOString();
  return JSON.stringify({ metric, type: 'Point', data: { time, value: ms, tags } });
}

const point = (offsetMs: number, ms: number, failed = false, flow: RequestPoint['flow'] = 'browse') => ({
  at: T0 + offsetMs,
  ms,
  flow,
  failed,
});

describe('reading k6 JSON output', () => {
  it('turns an http_req_duration point into a request with its group and outcome', () => {
    const parsed = parsePointLine(
      line('http_req_duration', 12.5, 250, { flow: 'checkout', expected_response: 'false', status: '503' }),
    );
    expect(parsed).toEqual({ at: T0 + 250, ms: 12.5, flow: 'checkout', failed: true });
  });

  it('ignores other metrics and metric declarations', () => {
    expect(parsePointLine(line('http_req_waiting', 3, 0, {}))).toBeUndefined();
    expect(parsePointLine(JSON.stringify({ type: 'Metric', metric: 'http_req_duration', data: {} }))).toBe(
      undefined,
    );
  });

  it('files a request without a known group under other', () => {
    expect(parsePointLine(line('http_req_duration', 1, 0, { expected_response: 'true' }))?.flow).toBe(
      'other',
    );
  });
});

describe('percentiles and totals', () => {
  it('interpolates between ranks', () => {
    expect(percentile([10, 20, 30, 40, 50], 0.5)).toBe(30);
    expect(percentile([10, 20], 0.95)).toBeCloseTo(19.5);
    expect(percentile([], 0.99)).toBe(0);
  });

  it('measures count, percentiles and error rate per group', () => {
    const points = [
      ...Array.from({ length: 100 }, (_, i) => point(i * 10, i + 1, i < 2)),
      point(0, 900, false, 'checkout'),
    ];
    const byFlow = measureByFlow(points);
    expect(byFlow.browse).toEqual({
      requests: 100,
      p95Ms: expect.closeTo(95.05, 5),
      p99Ms: expect.closeTo(99.01, 5),
      errorRate: 0.02,
    });
    expect(byFlow.checkout).toMatchObject({ requests: 1, p95Ms: 900, errorRate: 0 });
    expect(byFlow.search).toBeUndefined();
    expect(measure([])).toEqual({ requests: 0, p95Ms: 0, p99Ms: 0, errorRate: 0 });
  });
});

describe('time buckets', () => {
  it('groups requests per second, keeping the empty seconds of an outage', () => {
    const points = [point(0, 10), point(500, 30, true), point(2_100, 20), point(2_200, 40), point(2_900, 60)];
    const buckets = bucketize(points, 1);
    expect(buckets.map((bucket) => bucket.t)).toEqual([0, 1, 2]);
    expect(buckets[0]).toMatchObject({ requestsPerSecond: 2, errorRate: 0.5, p50Ms: 20 });
    expect(buckets[1]).toMatchObject({ requestsPerSecond: 0, errorRate: 0, p95Ms: 0 });
    expect(buckets[2]).toMatchObject({ requestsPerSecond: 3, p50Ms: 40, p99Ms: expect.closeTo(59.6, 5) });
  });

  it('divides the count by the bucket width', () => {
    const points = [point(0, 1), point(1_000, 1), point(4_999, 1)];
    expect(bucketize(points, 5).map((bucket) => bucket.requestsPerSecond)).toEqual([0.6]);
  });
});
