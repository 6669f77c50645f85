import type { AuditReport } from '@surge/stack/load';
import { readCapacitySettings } from '../lib/capacity-settings';
import { readSettings } from '../lib/settings';
import { CAPACITY_VARIANTS, type CapacityVariant } from '../lib/capacity-variants';
import type { CapacityStep, VariantRun } from './black-friday-capacity';
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
    login: { logins: 4, loginsPerSecond: 0.1, loginsPerVisit: 4 / (rate * 40) },
    durationMs: 60_000,
  };
}

function variantNamed(name: string): CapacityVariant {
  const variant = CAPACITY_VARIANTS.find((known) => known.name === name);
  if (!variant) throw new Error(`no variant ${name}`);
  return variant;
}

function variant(name: string, steps: CapacityStep[], audit: AuditReport = AUDIT): VariantRun {
  const known = variantNamed(name);
  return {
    variant: known,
    loginShare: 0.1,
    hashingMemoryMiB: known.userInstances * 256,
    steps,
    stop: { kind: 'done', reason: 'converged' },
    audit,
    durationMs: 400_000,
  };
}

function run(...variants: VariantRun[]): CapacityRun {
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
    variants,
    generator: 'Locust',
    stackReadyMs: 30_000,
    totalMs: 500_000,
    resultsDir: '/tmp/x',
  };
}

describe('buildCapacityReport', () => {
  it('judges the highest passing rate against four times today and says where the capacity lies', () => {
    const report = buildCapacityReport(
      run(variant('signed-in', [step(80, true), step(160, false), step(120, true), step(140, false)])),
    );
    expect(report.goals).toEqual([expect.objectContaining({ measured: 120, target: 80, better: 'higher' })]);
    expect(report.summary).toContain('**120 visits/s** meet every SLO');
    expect(report.summary).toContain('missed: 140 visits/s (browse p95 350 > 300 ms)');
    expect(report.summary).toContain('signed-in consistent over 42 orders');
    expect(report.data).toMatchObject({
      headlineVariant: 'signed-in',
      highestPassingRate: 120,
      lowestMissedRate: 140,
      goalRate: 80,
    });
  });

  it('puts every variant side by side, each with its goal and audit verdict, the first as the headline', () => {
    const violated: AuditReport = {
      ...AUDIT,
      ok: false,
      invariants: [{ name: 'payments-match-orders', description: '', checked: 9, violations: [] }],
    };
    const report = buildCapacityReport(
      run(
        variant('signed-in', [step(80, true), step(160, true)]),
        variant('fresh-login-2-users', [step(20, true), step(40, false)], violated),
      ),
    );
    expect(report.goals.map((goal) => [goal.statement.split(':')[0], goal.measured])).toEqual([
      ['Black Friday, signed-in', 160],
      ['Black Friday, fresh-login-2-users', 20],
    ]);
    const table = report.sections.find((section) => section.heading === 'The variants side by side');
    const rows = table?.markdown.split('\n').filter((line) => line.startsWith('|')) ?? [];
    expect(rows[2]).toContain('**headline** `signed-in`');
    expect(rows[2]).toContain('(10% of them)');
    expect(rows[2]).toContain('| met |');
    expect(rows[3]).toContain('| 2 | 512 MiB | 20 visits/s | 40 visits/s |');
    expect(rows[3]).toContain('missed by 60 visits/s');
    expect(rows[3]).toContain('**VIOLATIONS**');
    expect(report.sections.map((section) => section.heading)).toEqual(
      expect.arrayContaining([
        '`signed-in`: steps',
        '`fresh-login-2-users`: steps',
        "`fresh-login-2-users`: the auditor's verdict after its search",
      ]),
    );
  });

  it('says that even the lowest rate tried missed when none passed', () => {
    const report = buildCapacityReport(run(variant('fresh-login', [step(80, false), step(40, false)])));
    expect(report.goals[0]?.measured).toBe(0);
    expect(report.summary).toContain('Even 40 visits/s missed (browse p95 350 > 300 ms)');
  });
});
