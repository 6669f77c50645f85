import os from 'node:os';
import path from 'node:path';
import {
  type AuditReport,
  audit,
  loadSlos,
  startScenario,
  type LoadContext,
  readRunPoints,
  describeExit,
  describeGenerator,
  generatorCpu,
  type LocustRun,
} from '@surge/stack/load';
import { gatewayAnswers, gatewayUrl, scale, startStack, waitForHealthyInstances } from '@surge/stack/chaos';
import { ensureLocust, consoleLog, findRepoRoot, surgePaths } from '@surge/stack/native';
import { planNextStep, type SearchDecision } from '../lib/capacity-search';
import { readCapacitySettings, type CapacitySettings } from '../lib/capacity-settings';
import {
  type CapacityVariant,
  hashingMemoryMiB,
  parseVariants,
  readLoginShare,
} from '../lib/capacity-variants';
import { judgeStep, type StepResult } from '../lib/capacity-step';
import { loginRate, readLoginTimes, type LoginRate } from '../lib/login-rate';
import { machineBusySeconds } from '../lib/machine-cpu';
import { sleep } from '../lib/processes';
import type { BenchReport } from '../lib/report';
import type { BenchSettings } from '../lib/settings';
import { readTodaysRate } from '../lib/todays-rate';
import { buildCapacityReport } from './black-friday-capacity-report';

/**
 * Production settings as `k8s/base` runs them on this path (one trace in ten, info log
 * with the access log), as the other benches use them. NODE_ENV stays `development`:
 * production refuses the development passwords the native stack provisions with. One IP
 * (this machine) sends all the traffic, so the per-IP limits (logins, every request)
 * still run but never reject, as in every load run; the per-user limits stay.
 */
const PRODUCTION_ENV = {
  NODE_ENV: 'development',
  OTEL_TRACES_SAMPLER_ARG: '0.1',
  LOG_LEVEL: 'info',
  RATE_LIMIT_CREDENTIALS_MAX: '100000',
  RATE_LIMIT_IP_MAX: '1000000',
};
/** A step's Locust run that has not ended this long after its traffic should have is stopped. */
const STEP_OVERRUN_MS = 180_000;
/** Before the first step: what a step costs besides its traffic (shop, pool of users, exit). */
const STEP_OVERHEAD_ESTIMATE_MS = 20_000;
/** Between steps: the stack counts as settled below this share of the machine busy. */
const SETTLED_BUSY = 0.2;
/** ...or after this long, whichever comes first (the budget counts it). */
const SETTLE_MAX_MS = 90_000;

/** Why the search ended: the search's own reasons, or a generator that gave no verdict. */
export type CapacityStop =
  Extract<SearchDecision, { kind: 'done' }> | { kind: 'done'; reason: 'generator-failed' };

/** One step as the report lists it: the judged figures, Locust's own verdict, the machine. */
export interface CapacityStep extends StepResult {
  locustVerdict: string;
  /** Locust ended without a verdict (exit other than 0 or 3): the search stops there. */
  generatorFailed: boolean;
  /** Busy share of every core over the measured window (the stack, the generator, anything else). */
  machineBusy: number;
  /** Machine CPU per visit started over the measured window, milliseconds (every process, Locust included). */
  machineCpuMsPerVisit: number;
  /** Password logins over the measured window: the scrypt the step asked of the user service. */
  login: LoginRate;
  durationMs: number;
}

/** One variant's search on the stack, with the auditor's verdict right after it. */
export interface VariantRun {
  variant: CapacityVariant;
  /** The share of cart and checkout visits that log in with a password (signed-in design only). */
  loginShare: number;
  /** Peak memory of password hashing with every user instance at its derivation limit, MiB. */
  hashingMemoryMiB: number;
  steps: CapacityStep[];
  stop: CapacityStop;
  audit: AuditReport;
  durationMs: number;
}

/**
 * The Black Friday capacity: the highest arrival rate of the Black Friday visit mix that
 * the whole native stack sustains on this machine within every SLO of load-tests/lib/slo.json,
 * found by a bounded step search (doubling, then bisecting), against issue 13's goal of
 * four times today's peak (the run of record's, docs/results/black-friday.md). The auditor
 * checks afterwards that no order was lost and no card charged twice.
 */
export async function blackFridayCapacity(settings: BenchSettings): Promise<BenchReport> {
  const repoRoot = findRepoRoot();
  const today = readTodaysRate(repoRoot);
  const capacity = readCapacitySettings(process.env, today.rate);
  const variants = parseVariants(process.env.BENCH_BF_VARIANTS);
  const loginShare = readLoginShare(process.env.BENCH_BF_LOGIN_SHARE);
  if (await gatewayAnswers())
    throw new Error(
      `a stack already answers on ${gatewayUrl()}: this benchmark starts its own with production settings; stop that one, or move this run with SURGE_*_PORT`,
    );
  const locust = await ensureLocust(consoleLog);
  const ctx = loadContext(repoRoot, locust.locust, locust.version);
  const started = Date.now();
  const stack = await startStack(PRODUCTION_ENV);
  const stackReadyMs = Date.now() - started;
  let runs: VariantRun[] = [];
  try {
    runs = await runVariants(ctx, capacity, variants, loginShare);
  } finally {
    await stack.interrupt();
  }
  return buildCapacityReport({
    settings,
    capacity,
    today,
    variants: runs,
    generator: ctx.generator,
    stackReadyMs,
    totalMs: Date.now() - started,
    resultsDir: shownPath(repoRoot, ctx.resultsDir),
  });
}

/**
 * Each variant's search in turn on the one stack, the user service scaled to the
 * variant's instances first, the auditor right after each search: a later variant's
 * overload must not hide a loss in an earlier one.
 */
async function runVariants(
  ctx: LoadContext,
  capacity: CapacitySettings,
  variants: CapacityVariant[],
  loginShare: number,
): Promise<VariantRun[]> {
  const runs: VariantRun[] = [];
  let userInstances = 1;
  for (const variant of variants) {
    const begun = Date.now();
    if (runs.length > 0) await settle(ctx);
    if (variant.userInstances !== userInstances) {
      await useUserInstances(ctx, variant.userInstances);
      userInstances = variant.userInstances;
    }
    ctx.log(`[bench] black-friday-capacity: variant ${variant.name} (${variant.describes})`);
    const { steps, stop } = await searchCapacity(ctx, capacity, variant, loginShare);
    const auditReport = await audit(ctx);
    const violated = auditReport.invariants.filter((i) => i.violations.length > 0).map((i) => i.name);
    ctx.log(
      `[bench] black-friday-capacity: ${variant.name}: the auditor: ${auditReport.ok ? 'consistent' : `violated ${violated.join(', ')}`}`,
    );
    runs.push({
      variant,
      loginShare,
      hashingMemoryMiB: hashingMemoryMiB(variant),
      steps,
      stop,
      audit: auditReport,
      durationMs: Date.now() - begun,
    });
  }
  return runs;
}

/** A folder as the report shows it: relative to the clone when inside it (no home folder in a committed report). */
function shownPath(repoRoot: string, dir: string): string {
  const relative = path.relative(repoRoot, dir);
  return relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
}

function loadContext(repoRoot: string, locust: string, version: string): LoadContext {
  const cpu = generatorCpu();
  const workers = Math.floor(Number(process.env.LOAD_WORKERS || 0));
  return {
    repoRoot,
    locust,
    gateway: gatewayUrl(),
    log: (line) => process.stdout.write(`${line}\n`),
    resultsDir: path.join(
      surgePaths().stateDir,
      'load',
      'black-friday-capacity',
      new Date().toISOString().replace(/[:.]/g, '-'),
    ),
    parameters: {},
    slos: loadSlos(repoRoot),
    cpu,
    generator: describeGenerator(version, workers, cpu),
    workers,
  };
}

/**
 * `npm run stack -- scale user=N` on the bench's stack, then waits until the gateway
 * balances over N healthy user instances (and callers re-read the addresses file).
 * Instance i listens on the user port + 100·i (infra/stack/src/services/instances.ts).
 */
async function useUserInstances(ctx: LoadContext, count: number): Promise<void> {
  ctx.log(`[bench] black-friday-capacity: scaling the user service to ${count} instance(s)`);
  await scale([`user=${count}`]);
  await waitForHealthyInstances({ gateway: ctx.gateway }, 'user', count);
}

/** Steps until the search converges or its step count or time budget runs out. */
async function searchCapacity(
  ctx: LoadContext,
  capacity: CapacitySettings,
  variant: CapacityVariant,
  loginShare: number,
): Promise<{ steps: CapacityStep[]; stop: CapacityStop }> {
  const search = {
    startRate: capacity.startRate,
    resolution: capacity.resolution,
    minRate: 1,
    maxRate: capacity.maxRate,
  };
  const budget = { maxSteps: capacity.maxSteps, budgetMs: capacity.budgetSeconds * 1000 };
  const steps: CapacityStep[] = [];
  const begun = Date.now();
  for (;;) {
    const nextStepMs = Math.max(
      capacity.stepSeconds * 1000 + STEP_OVERHEAD_ESTIMATE_MS,
      ...steps.map((step) => step.durationMs),
    );
    const decision = planNextStep(
      steps.map((step) => ({ rate: step.rate, passed: step.passed })),
      search,
      budget,
      { elapsedMs: Date.now() - begun, nextStepMs },
    );
    if (decision.kind === 'done') return { steps, stop: decision };
    if (steps.length > 0) await settle(ctx);
    const step = await runStep(ctx, capacity, variant, loginShare, decision.rate, steps.length + 1);
    steps.push(step);
    ctx.log(
      `[bench] black-friday-capacity: ${variant.name}: ${step.rate} visits/s: ${step.passed ? 'met every SLO' : `missed ${step.missed.join('; ')}`} ` +
        `(${step.requestsPerSecond.toFixed(1)} requests/s, p95 ${step.p95Ms.toFixed(0)} ms, machine ${(step.machineBusy * 100).toFixed(0)}% busy, ${step.login.loginsPerVisit.toFixed(3)} logins per visit)`,
    );
    if (step.generatorFailed) return { steps, stop: { kind: 'done', reason: 'generator-failed' } };
  }
}

/**
 * Waits, at most SETTLE_MAX_MS, until the machine is nearly idle and the gateway answers.
 * Why: a step that overloaded the stack leaves queued work behind (sign-ups and logins
 * hashing at production cost after their clients timed out), and the next step's shop,
 * prepared into that, could not be (Locust's exit 4), which ended the search at its first
 * miss. The wait is outside every step's measured window.
 */
async function settle(ctx: LoadContext): Promise<void> {
  const until = Date.now() + SETTLE_MAX_MS;
  while (Date.now() < until) {
    const before = machineBusySeconds();
    await sleep(2_000);
    const busy = (machineBusySeconds() - before) / 2 / os.cpus().length;
    if (busy < SETTLED_BUSY && (await gatewayAnswers())) return;
  }
  ctx.log(
    `[bench] black-friday-capacity: the stack did not settle within ${SETTLE_MAX_MS / 1000} s; stepping on`,
  );
}

/** One rate held for a step: the Locust run, the machine's CPU over its window, the verdict. */
async function runStep(
  ctx: LoadContext,
  capacity: CapacitySettings,
  variant: CapacityVariant,
  loginShare: number,
  rate: number,
  index: number,
): Promise<CapacityStep> {
  const started = Date.now();
  const run = startScenario(ctx, 'black-friday-step', {
    subdir: path.join(variant.name, `step-${index}-rate-${rate}`),
    env: {
      LOAD_RATE: String(rate),
      LOAD_STEP_SECONDS: String(capacity.stepSeconds),
      LOAD_SESSIONS: variant.sessions,
      LOAD_LOGIN_SHARE: String(loginShare),
    },
    quiet: true,
  });
  // A step that never ends (a generator stuck on a dead stack) must not hold the run.
  const overrun = setTimeout(() => run.interrupt(), capacity.stepSeconds * 1000 + STEP_OVERRUN_MS);
  // Caught here: a Locust that cannot start rejects `exited`, which the await below reports.
  const busy = measureMachineBusy(run, capacity.warmupSeconds, capacity.stepSeconds).catch(() => undefined);
  const code = await run.exited;
  clearTimeout(overrun);
  const machineBusy = (await busy) ?? Number.NaN;
  const points = await readRunPoints(run.files.points);
  const judged = judgeStep(points, {
    rate,
    stepSeconds: capacity.stepSeconds,
    warmupSeconds: capacity.warmupSeconds,
    slos: ctx.slos,
  });
  const login = loginRate(await readLoginTimes(run.files.points), points.visits, capacity);
  // 0 and 3 are verdicts (met, missed); anything else means the step measured nothing
  // trustworthy (the shop could not be prepared, Locust crashed): a miss that ends the search.
  const generatorFailed = code !== 0 && code !== 3;
  if (generatorFailed)
    ctx.log(
      `[bench] black-friday-capacity: Locust at ${rate} visits/s: ${describeExit(code)} (${run.files.dir})`,
    );
  return {
    ...judged,
    ...(generatorFailed
      ? { passed: false, missed: [`Locust: ${describeExit(code)}`, ...judged.missed] }
      : {}),
    generatorFailed,
    locustVerdict: describeExit(code),
    machineBusy,
    machineCpuMsPerVisit:
      judged.visitsPerSecond > 0
        ? (machineBusy * os.cpus().length * 1000) / judged.visitsPerSecond
        : Number.NaN,
    login,
    durationMs: Date.now() - started,
  };
}

/** Busy share of all cores from /proc/stat over the step's measured window; undefined if traffic never started. */
async function measureMachineBusy(
  run: LocustRun,
  warmupSeconds: number,
  stepSeconds: number,
): Promise<number | undefined> {
  const started = await Promise.race([run.trafficStarted.then(() => true), run.exited.then(() => false)]);
  if (!started) return undefined;
  await sleep(warmupSeconds * 1000);
  const before = machineBusySeconds();
  const from = Date.now();
  await sleep((stepSeconds - warmupSeconds) * 1000);
  const seconds = (Date.now() - from) / 1000;
  return (machineBusySeconds() - before) / (seconds * os.cpus().length);
}
