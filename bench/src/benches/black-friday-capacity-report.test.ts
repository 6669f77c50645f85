import type { AuditReport } from '@surge/stack/load';
import { readCapacitySettings } from '../lib/capacity-settings';
import { readSettings } from '../lib/settings';
import type { CapacityStep } from './black-friday-capacity';
import { buildCapacityReport, type CapacityRun } from './black-friday-capacity-report';

const AUDIT: AuditReport = {
  at: '2026-12-07T19:00:00.000Z',
  settledAfterSeconds: 0.5,
  ok: true,
  invariants: [{ name: 'payments-match-orders', description: '', checked: 42, violations: [] }],
};

function step(rate: number, passed: boolean): CapacityStep {
  return {
    rate,
    windowSeconds: 40,
    visitsPerSecond: rate,
    requestsPerSecond: rate * 2.3,
    p50Ms: 10,
    p95Ms: 50,
    p99Ms: 90,
    errorRate: 0,
    visitsStarted: rate * 45,
    visitsDropped: 0,
    slos: [],
    missed: passed ? [] : ['browse p95 350 > 300 ms'],
    passed,
    locustVerdict: '',
    machineBusy: 0.5,
    machineCpuMsPerVisit: 1000 / rate,
    generatorFailed: false,
    durationMs: 60_000,
  };
}

function run(steps: CapacityStep[]): CapacityRun {
  const today = {
    rate: 20,
    baseRate: 4,
    spikeFactor: 5,
    runAt: undefined,
    verdict: undefined,
    source: 'docs/results/black-friday.md',
  };
  return {
    settings: readSettings({}),
    capacity: readCapacitySettings({}, 20),
    today,
    steps,
    stop: { kind: 'done', reason: 'converged' },
    audit: AUDIT,
    generator: 'Locust',
    stackReadyMs: 30_000,
    totalMs: 500_000,
    resultsDir: '/tmp/x',
  };
}

describe('buildCapacityReport', () => {
  it('judges the highest passing rate against four times today and says where the capacity lies', () => {
    const report = buildCapacityReport(
      run([step(80, true), step(160, false), step(120, true), step(140, false)]),
    );
    expect(report.goals).toEqual([expect.objectContaining({ measured: 120, target: 80, better: 'higher' })]);
    expect(report.summary).toContain('**Highest rate meeting every SLO: 120 visits/s**');
    expect(report.summary).toContain('missed: 140 visits/s (browse p95 350 > 300 ms)');
    expect(report.summary).toContain('**consistent** over 42 orders');
    expect(report.data).toMatchObject({ highestPassingRate: 120, lowestMissedRate: 140, goalRate: 80 });
  });

  it('says that even the lowest rate tried missed when none passed', () => {
    const report = buildCapacityReport(run([step(80, false), step(40, false)]));
    expect(report.goals[0]?.measured).toBe(0);
    expect(report.summary).toContain('Even 40 visits/s missed (browse p95 350 > 300 ms)');
  });
});
