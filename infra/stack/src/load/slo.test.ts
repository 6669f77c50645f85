import path from 'node:path';
import { judgeSlos, readSloTable, type SloTable } from './slo';
import { highestPassing, nextRate, scalingEfficiency } from './rate-search';
import { timeToRecover } from './recovery';
import type { Bucket } from './request-points';
import { sloTable } from './report';

const table: SloTable = {
  browse: { p95Ms: 300, p99Ms: 800, maxErrorRate: 0.01 },
  search: { p95Ms: 500, p99Ms: 1000, maxErrorRate: 0.01 },
  cart: { p95Ms: 400, p99Ms: 1000, maxErrorRate: 0.01 },
  checkout: { p95Ms: 1500, p99Ms: 3000, maxErrorRate: 0.02 },
  auth: { p95Ms: 800, p99Ms: 1500, maxErrorRate: 0.01 },
};

describe('SLO verdicts', () => {
  it('passes a group within every objective and names each objective a group missed', () => {
    const verdicts = judgeSlos(table, {
      browse: { requests: 1000, p95Ms: 120, p99Ms: 400, errorRate: 0.001 },
      checkout: { requests: 50, p95Ms: 1600, p99Ms: 2000, errorRate: 0.04 },
    });
    expect(verdicts.find((v) => v.flow === 'browse')).toMatchObject({ pass: true, missed: [] });
    expect(verdicts.find((v) => v.flow === 'checkout')).toMatchObject({
      pass: false,
      missed: ['p95', 'errors'],
    });
  });

  it('passes a group that saw no traffic', () => {
    expect(judgeSlos(table, {}).every((verdict) => verdict.pass)).toBe(true);
  });

  it('reads the one SLO table the locustfiles use', () => {
    const repo = path.resolve(__dirname, '..', '..', '..', '..');
    expect(Object.keys(readSloTable(repo)).sort()).toEqual(Object.keys(table).sort());
  });
});

describe('the scaling search', () => {
  const options = { startRate: 10, resolution: 0.1, minRate: 1, maxRate: 1000 };

  it('doubles until a step fails, then bisects down to the resolution', () => {
    const steps = [
      { rate: 10, passed: true },
      { rate: 20, passed: true },
      { rate: 40, passed: false },
    ];
    expect(nextRate([], options)).toBe(10);
    expect(nextRate(steps.slice(0, 2), options)).toBe(40);
    expect(nextRate(steps, options)).toBe(30);
    expect(nextRate([...steps, { rate: 30, passed: false }], options)).toBe(25);
    expect(nextRate([...steps, { rate: 30, passed: true }, { rate: 32, passed: false }], options)).toBe(
      undefined,
    );
    expect(highestPassing([...steps, { rate: 30, passed: true }])).toBe(30);
  });

  it('halves while even the start fails, and gives up below the minimum', () => {
    expect(nextRate([{ rate: 10, passed: false }], options)).toBe(5);
    expect(nextRate([{ rate: 1, passed: false }], options)).toBeUndefined();
    expect(highestPassing([{ rate: 1, passed: false }])).toBe(0);
  });

  it('reports efficiency as throughput at N over N times throughput at 1', () => {
    expect(scalingEfficiency(100, 4, 300)).toBe(0.75);
    expect(scalingEfficiency(0, 2, 10)).toBe(0);
  });
});

describe('time to recover', () => {
  const T0 = 1_000_000;
  const bucket = (second: number, errorRate: number, p95Ms = 50): Bucket => ({
    t: second,
    at: T0 + second * 1000,
    requestsPerSecond: 10,
    errorRate,
    p50Ms: 10,
    p95Ms,
    p99Ms: p95Ms,
  });
  const bar = { maxErrorRate: 0.01, maxP95Ms: 300, stableBuckets: 3 };

  it('counts from the fault end to the first stretch of healthy seconds', () => {
    const buckets = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((s) => bucket(s, s < 6 ? 0.5 : 0));
    expect(timeToRecover(buckets, { scenario: 'x', from: T0, to: T0 + 3000 }, bar)).toBe(3);
  });

  it('is 0 when healthy right away and undefined when never healthy', () => {
    const healthy = [0, 1, 2, 3, 4].map((s) => bucket(s, 0));
    expect(timeToRecover(healthy, { scenario: 'x', from: T0, to: T0 + 1000 }, bar)).toBe(0);
    const slow = [0, 1, 2, 3, 4].map((s) => bucket(s, 0, 900));
    expect(timeToRecover(slow, { scenario: 'x', from: T0, to: T0 + 1000 }, bar)).toBeUndefined();
  });
});

describe('the SLO table of a report', () => {
  it('marks each missed objective and the failed group', () => {
    const markdown = sloTable(
      judgeSlos(table, { auth: { requests: 10, p95Ms: 900, p99Ms: 1000, errorRate: 0 } }),
    );
    expect(markdown).toContain(
      '| auth | 10 | 900 ms (< 800) **missed** | 1000 ms (< 1500) | 0.00% (< 1.00%) | **FAIL** |',
    );
    expect(markdown).toContain('| browse | 0 | | | | no traffic |');
  });
});
