import type { RequestPoint, RunPoints, SloTable } from '@surge/stack/load';
import { judgeStep, missedObjectives } from './capacity-step';

const SLOS: SloTable = {
  browse: { p95Ms: 300, p99Ms: 800, maxErrorRate: 0.01 },
  search: { p95Ms: 500, p99Ms: 1000, maxErrorRate: 0.01 },
  cart: { p95Ms: 400, p99Ms: 1000, maxErrorRate: 0.01 },
  checkout: { p95Ms: 1500, p99Ms: 3000, maxErrorRate: 0.02 },
  auth: { p95Ms: 800, p99Ms: 1500, maxErrorRate: 0.01 },
};
const T0 = 1_700_000_000_000;
const judging = { rate: 10, stepSeconds: 20, warmupSeconds: 5, slos: SLOS };

/** A step of `seconds` at `perSecond` visits, one browse request each, `ms` long. */
function steadyStep(seconds: number, perSecond: number, request: Partial<RequestPoint> = {}): RunPoints {
  const points: RunPoints = { requests: [], visits: [], dropped: [] };
  for (let i = 0; i < seconds * perSecond; i += 1) {
    const at = T0 + (i * 1000) / perSecond;
    points.visits.push(at);
    points.requests.push({ at: at + 1, ms: 20, flow: 'browse', failed: false, ...request });
  }
  return points;
}

describe('judgeStep', () => {
  it('passes a step whose every group met its SLO, with the throughput of the measured window', () => {
    const step = judgeStep(steadyStep(20, 10), judging);
    expect(step.passed).toBe(true);
    expect(step.missed).toEqual([]);
    expect(step.windowSeconds).toBe(15);
    expect(step.visitsPerSecond).toBeCloseTo(10);
    expect(step.requestsPerSecond).toBeCloseTo(10);
    expect(step.p50Ms).toBe(20);
  });

  it('leaves the warm-up out of the latency: a slow start does not fail a step', () => {
    const points = steadyStep(20, 10);
    for (const request of points.requests) if (request.at < T0 + 5_000) request.ms = 5_000;
    expect(judgeStep(points, judging).passed).toBe(true);
  });

  it('fails a step whose group missed its p95, naming the group and the objective', () => {
    const points = steadyStep(20, 10, { ms: 350 });
    const step = judgeStep(points, judging);
    expect(step.passed).toBe(false);
    expect(step.missed).toEqual(['browse p95 350 > 300 ms']);
  });

  it('fails a step with too many failed requests in a group', () => {
    const points = steadyStep(20, 10);
    points.requests.push({ at: T0 + 10_000, ms: 5, flow: 'checkout', failed: true });
    points.requests.push({ at: T0 + 11_000, ms: 5, flow: 'checkout', failed: false });
    const step = judgeStep(points, judging);
    expect(step.missed).toEqual(['checkout errors 50% > 2.0%']);
  });

  it('fails a step that dropped more than 2% of the arrivals asked', () => {
    const points = steadyStep(20, 10);
    points.dropped = Array.from({ length: 5 }, (_, i) => T0 + i * 1000);
    expect(judgeStep(points, judging).missed).toEqual(['5 visits dropped > 4 (2.0% of 200 asked)']);
  });

  it('fails a step that measured no request at all', () => {
    const step = judgeStep({ requests: [], visits: [], dropped: [] }, judging);
    expect(step.passed).toBe(false);
    expect(step.missed).toEqual(['no request measured']);
  });

  it('leaves the setup requests (flow other) out of the figures', () => {
    const points = steadyStep(20, 10);
    points.requests.push({ at: T0 + 10_000, ms: 9_000, flow: 'other', failed: true });
    const step = judgeStep(points, judging);
    expect(step.passed).toBe(true);
    expect(step.errorRate).toBe(0);
  });
});

describe('missedObjectives', () => {
  it('allows two dropped visits however short the step', () => {
    expect(missedObjectives([], 2, 10)).toEqual([]);
    expect(missedObjectives([], 3, 10)).toEqual(['3 visits dropped > 2 (2.0% of 10 asked)']);
  });
});
