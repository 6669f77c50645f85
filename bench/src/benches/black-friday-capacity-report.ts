import { type AuditReport, auditSection, sloTable } from '@surge/stack/load';
import { capacityBracket } from '../lib/capacity-search';
import { GOAL_FACTOR, type CapacitySettings } from '../lib/capacity-settings';
import { fmt, table, type BenchReport } from '../lib/report';
import type { BenchSettings } from '../lib/settings';
import type { TodaysRate } from '../lib/todays-rate';
import type { CapacityStep, CapacityStop } from './black-friday-capacity';

export interface CapacityRun {
  settings: BenchSettings;
  capacity: CapacitySettings;
  today: TodaysRate;
  steps: CapacityStep[];
  stop: CapacityStop;
  audit: AuditReport;
  generator: string;
  stackReadyMs: number;
  totalMs: number;
  resultsDir: string;
}

const STOPPED: Record<string, string> = {
  converged:
    'the search converged (the best pass and the lowest miss within the resolution, or the maximum rate passed)',
  'max-steps': 'the step count ran out (BENCH_BF_MAX_STEPS) before the search converged',
  budget: 'the time budget ran out (BENCH_BF_BUDGET_SECONDS) before the search converged',
  'generator-failed':
    'Locust ended a step without a verdict (see the last step): the run measured nothing past it',
};

const ms = (value: number) => `${fmt(value, 1)} ms`;
const pct = (value: number) => `${(value * 100).toFixed(2)}%`;

export function buildCapacityReport(run: CapacityRun): BenchReport {
  const { steps, today, capacity, audit } = run;
  const { best, lowestMiss } = capacityBracket(steps);
  const target = today.rate * GOAL_FACTOR;
  const bestStep = steps.find((step) => step.passed && step.rate === best);
  const missStep = steps.find((step) => !step.passed && step.rate === lowestMiss);
  const reason = run.stop.reason;
  const orders = audit.invariants.find((invariant) => invariant.name === 'payments-match-orders')?.checked;
  return {
    name: 'black-friday-capacity',
    title: 'Black Friday capacity: the highest arrival rate within every SLO',
    summary: [
      `The whole native stack (\`npm run stack -- up\` with production settings: one trace in ten, info log with the access log; per-IP limits lifted, since one IP sends everything) driven by Locust with the Black Friday visit mix (75% browsing, 10% search, 10% cart, 5% checkout, with logins and token refreshes; \`load-tests/black-friday-step.py\`) at a constant arrival rate per step, ${capacity.stepSeconds} s each, the first ${capacity.warmupSeconds} s of each not judged (each step is a fresh pool of customers, who log in on their first cart or checkout visit: a burst of logins a crowd already shopping does not make).`,
      `A step passes when every group meets its SLO (\`load-tests/lib/slo.json\`) and at most 2% of its arrivals were dropped; the rate doubles from ${capacity.startRate} visits/s until a step misses, then is bisected.`,
      best > 0
        ? `**Highest rate meeting every SLO: ${fmt(best)} visits/s** (${fmt(bestStep?.requestsPerSecond ?? 0, 1)} requests/s), ${fmt(best / today.rate, 1)}x today's peak of ${fmt(today.rate)} visits/s.`
        : `**No rate tried met every SLO** (the lowest tried: ${fmt(Math.min(...steps.map((s) => s.rate)))} visits/s).`,
      bracketText(best, lowestMiss, missStep),
      `The search stopped because ${STOPPED[reason] ?? reason}.`,
      `The auditor afterwards: ${audit.ok ? `**consistent**${orders === undefined ? '' : ` over ${orders} orders`}: no order lost, no card charged twice, stock balanced` : '**VIOLATIONS** (below)'}.`,
    ].join(' '),
    goals: [
      {
        statement: `Black Friday: highest arrival rate within every SLO, ≥ ${GOAL_FACTOR}x today's peak (${fmt(today.rate)} visits/s)`,
        measured: best,
        target,
        better: 'higher',
        unit: 'visits/s',
      },
    ],
    sections: [
      { heading: "Today's rate", markdown: todaysRateText(today, target) },
      { heading: 'Steps', markdown: stepTable(steps) },
      ...(bestStep
        ? [
            {
              heading: `SLOs at ${fmt(best)} visits/s, the highest rate that met them`,
              markdown: sloTable(bestStep.slos),
            },
          ]
        : []),
      ...(missStep
        ? [
            {
              heading:
                best > 0
                  ? `SLOs at ${fmt(missStep.rate)} visits/s, the lowest rate above it that missed`
                  : `SLOs at ${fmt(missStep.rate)} visits/s, the lowest rate tried`,
              markdown: sloTable(missStep.slos),
            },
          ]
        : []),
      { heading: "The auditor's verdict after the run", markdown: auditSection(audit) },
      { heading: 'The run', markdown: runText(run) },
    ],
    data: {
      todaysRate: today,
      goalRate: target,
      highestPassingRate: best,
      lowestMissedRate: lowestMiss ?? null,
      stoppedBecause: reason,
      capacity,
      steps: steps.map(({ slos, ...step }) => ({
        ...step,
        slos: slos.map((v) => ({ flow: v.flow, measured: v.measured ?? null, missed: v.missed })),
      })),
      audit: {
        ok: audit.ok,
        at: audit.at,
        settledAfterSeconds: audit.settledAfterSeconds,
        invariants: audit.invariants.map((i) => ({
          name: i.name,
          checked: i.checked,
          violations: i.violations.length,
        })),
      },
      generator: run.generator,
      stackReadyMs: run.stackReadyMs,
      totalMs: run.totalMs,
    },
    settings: run.settings,
  };
}

/** Where the capacity lies: between the best pass and the lowest miss above it, or below every rate tried. */
function bracketText(
  best: number,
  lowestMiss: number | undefined,
  missStep: CapacityStep | undefined,
): string {
  const why = missStep ? ` (${missStep.missed.join('; ')})` : '';
  if (best === 0 && lowestMiss !== undefined)
    return `Even ${fmt(lowestMiss)} visits/s missed${why}: the capacity on this machine, at these settings, is below that.`;
  if (lowestMiss !== undefined)
    return `The lowest rate above it that missed: ${fmt(lowestMiss)} visits/s${why}, so the capacity lies between the two.`;
  return 'No rate above it missed, so it is a lower bound.';
}

function todaysRateText(today: TodaysRate, target: number): string {
  const definition =
    today.source === 'BENCH_BF_TODAY_RATE'
      ? `Set by BENCH_BF_TODAY_RATE for this run: ${fmt(today.rate)} visits/s.`
      : `"Today's" rate is the peak arrival rate of the Black Friday run of record (${today.source}${today.runAt ? `, run at ${today.runAt}` : ''}): its spike, LOAD_BASE_RATE x LOAD_SPIKE_FACTOR = ${fmt(today.baseRate)} x ${fmt(today.spikeFactor)} = **${fmt(today.rate)} visits/s**, the most that run asked of the stack.`;
  const verdict = today.verdict ? ` That run's own verdict: ${today.verdict}.` : '';
  return `${definition}${verdict} The goal (issue 13) is at least ${GOAL_FACTOR} times that within every SLO: **${fmt(target)} visits/s**.`;
}

function stepTable(steps: CapacityStep[]): string {
  return table([
    [
      '#',
      'asked visits/s',
      'achieved visits/s',
      'requests/s',
      'p50',
      'p95',
      'p99',
      'errors',
      'visits dropped',
      'machine busy',
      'machine CPU per visit',
      'verdict',
    ],
    ...steps.map((step, index) => [
      index + 1,
      step.rate,
      fmt(step.visitsPerSecond, 1),
      fmt(step.requestsPerSecond, 1),
      ms(step.p50Ms),
      ms(step.p95Ms),
      ms(step.p99Ms),
      pct(step.errorRate),
      `${step.visitsDropped} of ${step.visitsStarted + step.visitsDropped}`,
      Number.isFinite(step.machineBusy) ? `${(step.machineBusy * 100).toFixed(0)}%` : 'n/a',
      Number.isFinite(step.machineCpuMsPerVisit) ? ms(step.machineCpuMsPerVisit) : 'n/a',
      step.passed ? 'pass' : `**missed**: ${step.missed.join('; ')}`,
    ]),
  ]);
}

function runText(run: CapacityRun): string {
  const stepsMs = run.steps.reduce((sum, step) => sum + step.durationMs, 0);
  return [
    `- stack up in ${fmt(run.stackReadyMs / 1000, 1)} s; ${run.steps.length} steps in ${fmt(stepsMs / 1000, 0)} s (each with its own shop: customers signed up, products stocked, a pool of 8 users per visit/s); whole run ${fmt(run.totalMs / 1000, 0)} s with the audit`,
    `- generator: ${run.generator}, on the same machine as the stack: its CPU is part of "machine busy"`,
    `- latency and errors over each step's measured window (after the warm-up), every group together in the table and per group below; achieved visits/s are the arrivals started in that window`,
    `- the auditor reads the stack's databases whole: every order in them, this run's and any earlier ones, so a clean audit also vouches for what was there before`,
    `- Locust's raw output per step (every request as JSON lines, its CSV and HTML report): \`${run.resultsDir}\``,
    `- steps of ${run.capacity.stepSeconds} s, the first ${run.capacity.warmupSeconds} s not judged (BENCH_BF_*: the settings line below is the other benchmarks' knobs)`,
    `- search: start ${fmt(run.capacity.startRate)} visits/s, resolution ${fmt(run.capacity.resolution * 100)}%, at most ${run.capacity.maxSteps} steps within ${run.capacity.budgetSeconds} s, maximum ${fmt(run.capacity.maxRate)} visits/s`,
  ].join('\n');
}
