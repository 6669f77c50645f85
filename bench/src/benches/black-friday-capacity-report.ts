import os from 'node:os';
import { type AuditReport, auditSection, sloTable } from '@surge/stack/load';
import { capacityBracket } from '../lib/capacity-search';
import { GOAL_FACTOR, type CapacitySettings } from '../lib/capacity-settings';
import {
  CAPACITY_VARIANTS,
  DEFAULT_LOGIN_SHARE,
  DEFAULT_VARIANTS,
  DERIVATIONS_PER_INSTANCE,
  MIB_PER_DERIVATION,
} from '../lib/capacity-variants';
import { fmt, table, verdict, type BenchReport, type GoalCheck } from '../lib/report';
import type { BenchSettings } from '../lib/settings';
import type { TodaysRate } from '../lib/todays-rate';
import type { CapacityStep, VariantRun } from './black-friday-capacity';

export interface CapacityRun {
  settings: BenchSettings;
  capacity: CapacitySettings;
  today: TodaysRate;
  /** In the order run; the first is the headline figure. */
  variants: VariantRun[];
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

/** What one variant's steps say: the bracket, the steps at its ends, the goal. */
interface VariantFigures {
  run: VariantRun;
  best: number;
  lowestMiss: number | undefined;
  bestStep: CapacityStep | undefined;
  missStep: CapacityStep | undefined;
  goal: GoalCheck;
}

function figuresOf(run: VariantRun, today: TodaysRate): VariantFigures {
  const { best, lowestMiss } = capacityBracket(run.steps);
  return {
    run,
    best,
    lowestMiss,
    bestStep: run.steps.find((step) => step.passed && step.rate === best),
    missStep: run.steps.find((step) => !step.passed && step.rate === lowestMiss),
    goal: {
      statement: `Black Friday, ${run.variant.name}: highest arrival rate within every SLO, ≥ ${GOAL_FACTOR}x today's peak (${fmt(today.rate)} visits/s)`,
      measured: best,
      target: today.rate * GOAL_FACTOR,
      better: 'higher',
      unit: 'visits/s',
    },
  };
}

/** How the variant's customers log in, in words, with the share where it applies. */
function designText(run: VariantRun): string {
  return run.variant.sessions === 'signed-in'
    ? `${run.variant.describes} (${fmt(run.loginShare * 100, 0)}% of them)`
    : run.variant.describes;
}

function auditVerdict(audit: AuditReport): string {
  const orders = audit.invariants.find((invariant) => invariant.name === 'payments-match-orders')?.checked;
  return audit.ok
    ? `consistent${orders === undefined ? '' : ` over ${orders} orders`}: no order lost, no card charged twice`
    : '**VIOLATIONS**';
}

export function buildCapacityReport(run: CapacityRun): BenchReport {
  const { today, capacity } = run;
  const figures = run.variants.map((variant) => figuresOf(variant, today));
  const headline = figures[0];
  if (!headline) throw new Error('a capacity run without a variant measured nothing');
  const target = today.rate * GOAL_FACTOR;
  const { best, lowestMiss, bestStep, missStep } = headline;
  return {
    name: 'black-friday-capacity',
    title: 'Black Friday capacity: the highest arrival rate within every SLO',
    summary: [
      `The whole native stack (\`npm run stack -- up\` with production settings: one trace in ten, info log with the access log; per-IP limits lifted, since one IP sends everything; production scrypt cost, N = 2^17) driven by Locust with the Black Friday visit mix (75% browsing, 10% search, 10% cart, 5% checkout, 2% of visits refreshing a token; \`load-tests/black-friday-step.py\`) at a constant arrival rate per step, ${capacity.stepSeconds} s each, the first ${capacity.warmupSeconds} s of each not judged.`,
      `A step passes when every group meets its SLO (\`load-tests/lib/slo.json\`) and at most 2% of its arrivals were dropped; the rate doubles from ${capacity.startRate} visits/s until a step misses, then is bisected. Each variant (${figures.map((f) => `\`${f.run.variant.name}\``).join(', ')}) is a search of its own on the same stack, audited right after it.`,
      `**Headline (\`${headline.run.variant.name}\`: ${designText(headline.run)}; ${headline.run.variant.userInstances} user instance(s)):** ` +
        (best > 0
          ? `**${fmt(best)} visits/s** meet every SLO (${fmt(bestStep?.requestsPerSecond ?? 0, 1)} requests/s, ${fmt(bestStep?.login.loginsPerVisit ?? 0, 3)} password logins per visit), ${fmt(best / today.rate, 1)}x today's peak of ${fmt(today.rate)} visits/s.`
          : `**no rate tried met every SLO** (the lowest tried: ${fmt(Math.min(...headline.run.steps.map((s) => s.rate)))} visits/s).`),
      bracketText(best, lowestMiss, missStep),
      `The search stopped because ${STOPPED[headline.run.stop.reason] ?? headline.run.stop.reason}.`,
      `The auditor after each variant: ${figures.map((f) => `${f.run.variant.name} ${auditVerdict(f.run.audit)}`).join('; ')}.`,
    ].join(' '),
    goals: figures.map((f) => f.goal),
    sections: [
      { heading: "Today's rate", markdown: todaysRateText(today, target) },
      {
        heading: 'The variants side by side',
        markdown: variantTable(figures) + '\n\n' + variantNotes(figures),
      },
      ...figures.flatMap(variantSections),
      { heading: 'The run', markdown: runText(run) },
    ],
    data: {
      todaysRate: today,
      goalRate: target,
      headlineVariant: headline.run.variant.name,
      highestPassingRate: best,
      lowestMissedRate: lowestMiss ?? null,
      stoppedBecause: headline.run.stop.reason,
      capacity,
      variants: figures.map((f) => ({
        variant: f.run.variant,
        loginShare: f.run.variant.sessions === 'signed-in' ? f.run.loginShare : null,
        hashingMemoryMiB: f.run.hashingMemoryMiB,
        highestPassingRate: f.best,
        lowestMissedRate: f.lowestMiss ?? null,
        stoppedBecause: f.run.stop.reason,
        durationMs: f.run.durationMs,
        steps: f.run.steps.map(({ slos, ...step }) => ({
          ...step,
          slos: slos.map((v) => ({ flow: v.flow, measured: v.measured ?? null, missed: v.missed })),
        })),
        audit: {
          ok: f.run.audit.ok,
          at: f.run.audit.at,
          settledAfterSeconds: f.run.audit.settledAfterSeconds,
          invariants: f.run.audit.invariants.map((i) => ({
            name: i.name,
            checked: i.checked,
            violations: i.violations.length,
          })),
        },
      })),
      generator: run.generator,
      stackReadyMs: run.stackReadyMs,
      totalMs: run.totalMs,
    },
    settings: run.settings,
  };
}

function variantTable(figures: VariantFigures[]): string {
  return table([
    [
      'variant',
      'who logs in',
      'user instances',
      'scrypt memory at peak',
      'capacity (highest pass)',
      'lowest miss above it',
      'password logins per visit at the pass',
      'logins/s at the pass',
      'goal',
      'audit',
    ],
    ...figures.map((f, index) => [
      `${index === 0 ? '**headline** ' : ''}\`${f.run.variant.name}\``,
      designText(f.run),
      f.run.variant.userInstances,
      `${fmt(f.run.hashingMemoryMiB)} MiB`,
      f.best > 0 ? `${fmt(f.best)} visits/s` : 'none passed',
      f.lowestMiss === undefined ? 'none' : `${fmt(f.lowestMiss)} visits/s`,
      f.bestStep ? fmt(f.bestStep.login.loginsPerVisit, 3) : 'n/a',
      f.bestStep ? fmt(f.bestStep.login.loginsPerSecond, 2) : 'n/a',
      verdict(f.goal),
      auditVerdict(f.run.audit),
    ]),
  ]);
}

function variantNotes(figures: VariantFigures[]): string {
  const notes = [
    `- scrypt memory at peak: every user instance deriving at its limit (${DERIVATIONS_PER_INSTANCE} at once, ${MIB_PER_DERIVATION} MiB each at N = 2^17, r = 8), on top of each instance's own heap; the machine has ${fmt(os.totalmem() / 2 ** 30, 0)} GiB.`,
    `- password logins per visit: \`auth: login\` requests over the measured window per visit started in it (sign-ups and the sessions signed in before a step are outside it). In the fresh-login design they come as a burst when a step opens; in the signed-in design at the share's steady rate (the share of cart and checkout visits, themselves 15% of visits, plus any visit that found every session in use).`,
  ];
  const signedIn = figures.find((f) => f.run.variant.sessions === 'signed-in');
  if (signedIn)
    notes.push(
      `- signed-in: ${fmt(signedIn.run.loginShare * 100, 0)}% of cart and checkout visits log in with a password (BENCH_BF_LOGIN_SHARE, default ${fmt(DEFAULT_LOGIN_SHARE * 100, 0)}%, the upper end of the 5-10% a shop whose customers keep refresh-token sessions for days sees (new devices, expired sessions, first purchases): the headline errs towards more scrypt, not less.`,
    );
  return notes.join('\n');
}

function variantSections(f: VariantFigures): Array<{ heading: string; markdown: string }> {
  const name = `\`${f.run.variant.name}\``;
  return [
    {
      heading: `${name}: steps`,
      markdown: `${designText(f.run)}; ${f.run.variant.userInstances} user instance(s). ${bracketText(f.best, f.lowestMiss, f.missStep)} The search stopped because ${STOPPED[f.run.stop.reason] ?? f.run.stop.reason}.\n\n${stepTable(f.run.steps)}`,
    },
    ...(f.bestStep
      ? [
          {
            heading: `${name}: SLOs at ${fmt(f.best)} visits/s, the highest rate that met them`,
            markdown: sloTable(f.bestStep.slos),
          },
        ]
      : []),
    ...(f.missStep
      ? [
          {
            heading:
              f.best > 0
                ? `${name}: SLOs at ${fmt(f.missStep.rate)} visits/s, the lowest rate above it that missed`
                : `${name}: SLOs at ${fmt(f.missStep.rate)} visits/s, the lowest rate tried`,
            markdown: sloTable(f.missStep.slos),
          },
        ]
      : []),
    { heading: `${name}: the auditor's verdict after its search`, markdown: auditSection(f.run.audit) },
  ];
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
      'logins per visit',
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
      fmt(step.login.loginsPerVisit, 3),
      step.passed ? 'pass' : `**missed**: ${step.missed.join('; ')}`,
    ]),
  ]);
}

function runText(run: CapacityRun): string {
  const steps = run.variants.flatMap((variant) => variant.steps);
  const stepsMs = steps.reduce((sum, step) => sum + step.durationMs, 0);
  return [
    `- stack up in ${fmt(run.stackReadyMs / 1000, 1)} s; ${steps.length} steps over ${run.variants.length} variant(s) in ${fmt(stepsMs / 1000, 0)} s (each with its own shop: customers signed up, products stocked, a pool of 8 users per visit/s; signed-in steps also sign in 0.75 sessions per visit/s, at least 10, before their traffic); whole run ${fmt(run.totalMs / 1000, 0)} s with the audits`,
    `- variants: BENCH_BF_VARIANTS (default \`${DEFAULT_VARIANTS.join(',')}\`, also what \`npm run bench -- all\` runs; known: ${CAPACITY_VARIANTS.map((v) => `\`${v.name}\``).join(', ')}), each within its own step count and time budget; a variant with more user instances scales the user service (\`npm run stack -- scale user=N\`) before its search`,
    `- generator: ${run.generator}, on the same machine as the stack: its CPU is part of "machine busy"`,
    `- latency and errors over each step's measured window (after the warm-up), every group together in the table and per group below; achieved visits/s are the arrivals started in that window`,
    `- the auditor reads the stack's databases whole after each variant: every order in them, this run's and any earlier ones, so a clean audit also vouches for what was there before`,
    `- Locust's raw output per step (every request as JSON lines, its CSV and HTML report): \`${run.resultsDir}\``,
    `- steps of ${run.capacity.stepSeconds} s, the first ${run.capacity.warmupSeconds} s not judged (BENCH_BF_*: the settings line below is the other benchmarks' knobs)`,
    `- search: start ${fmt(run.capacity.startRate)} visits/s, resolution ${fmt(run.capacity.resolution * 100)}%, at most ${run.capacity.maxSteps} steps within ${run.capacity.budgetSeconds} s, maximum ${fmt(run.capacity.maxRate)} visits/s`,
  ].join('\n');
}
