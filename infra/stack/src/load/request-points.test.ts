import {
  bucketize,
  checkArrivals,
  measure,
  measureByFlow,
  percentile,
  readPointLine,
  type RequestPoint,
  type RunPoints,
} from './request-points';

const T0 = Date.parse('2026-11-27T08:00:00.000Z');

const point = (offsetMs: number, ms: number, failed = false, flow: RequestPoint['flow'] = 'browse') => ({
  at: T0 + offsetMs,
  ms,
  flow,
  failed,
});

function read(...lines: string[]): RunPoints {
  const into: RunPoints = { requests: [], visits: [], dropped: [] };
  for (const line of lines) readPointLine(line, into);
  return into;
}

describe("reading the recorder's JSON lines", () => {
  it('turns a request line into a request with its group and outcome', () => {
    const line = JSON.stringify({
      kind: 'request',
      at: T0 + 250,
      ms: 12.5,
      flow: 'checkout',
      name: 'checkout: place order',
      status: 503,
      failed: true,
    });
    expect(read(line).requests).toEqual([{ at: T0 + 250, ms: 12.5, flow: 'checkout', failed: true }]);
  });

  it('files a request without a known group under other', () => {
    const line = JSON.stringify({ kind: 'request', at: T0, ms: 1, flow: 'setup', failed: false });
    expect(read(line).requests[0]?.flow).toBe('other');
  });

  it('counts visits and dropped visits, and reads what the shape asked for', () => {
    const points = read(
      JSON.stringify({ kind: 'visit', at: T0 }),
      JSON.stringify({ kind: 'visit', at: T0 + 100 }),
      JSON.stringify({ kind: 'dropped', at: T0 + 200 }),
      JSON.stringify({ kind: 'summary', at: T0 + 300, asked: 4, visits: 2, dropped: 1 }),
    );
    expect(checkArrivals(points)).toEqual({ asked: 4, started: 2, dropped: 1, achieved: 0.5 });
  });

  it('skips a line cut short by a killed run', () => {
    expect(read('{"kind":"request","at":12', '').requests).toEqual([]);
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
