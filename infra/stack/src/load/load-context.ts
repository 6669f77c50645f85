import path from 'node:path';
import { runAudit } from '../audit/run-audit';
import type { AuditReport } from '../audit/audit-types';
import { portFromEnv } from '../native/daemon';
import { defaultAdminUrl } from '../native/postgres';
import { databaseSuffix } from '../services/stack-context';
import { checkArrivals, readRunPoints, type ArrivalCheck, type RequestPoint } from './request-points';
import { describeExit, startLocust, type LocustRun } from './run-locust';
import { readSloTable, type SloTable } from './slo';

/** What every load scenario's runner gets from `npm run load`. */
export interface LoadContext {
  repoRoot: string;
  /** The locust command of the project's virtual environment (native/locust-venv.ts). */
  locust: string;
  gateway: string;
  log: (line: string) => void;
  /** `.surge/load/<scenario>/<time>`: Locust's raw output for this run. */
  resultsDir: string;
  /** The LOAD_* parameters the caller set, as given: the report quotes them. */
  parameters: Record<string, string>;
  slos: SloTable;
  /** The CPU the generator is pinned to, if any (LOAD_GENERATOR_CPU). */
  cpu: number | undefined;
  /** `Locust 2.47.0 (one process, pinned to CPU 1)`: for the log and the reports. */
  generator: string;
  /** Worker processes besides the master (LOAD_WORKERS); 0 runs one process. */
  workers: number;
}

/** The outcome of one Locust run: its exit code, explained, its requests and arrivals. */
export interface LocustOutcome {
  code: number;
  verdict: string;
  points: RequestPoint[];
  arrivals: ArrivalCheck;
  /** Every request is a check of its answer: those that passed and those that failed. */
  checks: { passes: number; fails: number };
}

/** LOAD_* and the admin's credentials from our environment, for the locustfiles. */
export function locustEnv(ctx: LoadContext, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { LOAD_GATEWAY: ctx.gateway };
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && (name.startsWith('LOAD_') || name.startsWith('ADMIN_'))) env[name] = value;
  return { ...env, ...extra };
}

export function scriptPath(ctx: LoadContext, scenario: string): string {
  return path.join(ctx.repoRoot, 'load-tests', `${scenario}.py`);
}

/** Starts a scenario's locustfile with this run's settings. */
export function startScenario(
  ctx: LoadContext,
  scenario: string,
  options: { subdir?: string; env?: Record<string, string>; quiet?: boolean } = {},
): LocustRun {
  return startLocust({
    locust: ctx.locust,
    script: scriptPath(ctx, scenario),
    resultsDir: options.subdir ? path.join(ctx.resultsDir, options.subdir) : ctx.resultsDir,
    gateway: ctx.gateway,
    env: locustEnv(ctx, options.env),
    log: ctx.log,
    cpu: ctx.cpu,
    workers: ctx.workers,
    ...(options.quiet ? { quiet: true } : {}),
  });
}

/** What a finished run left: its requests, arrivals and checks. */
export async function collect(run: LocustRun, code: number): Promise<LocustOutcome> {
  const points = await readRunPoints(run.files.points);
  const fails = points.requests.filter((point) => point.failed).length;
  return {
    code,
    verdict: describeExit(code),
    points: points.requests,
    arrivals: checkArrivals(points),
    checks: { passes: points.requests.length - fails, fails },
  };
}

/** Runs a locustfile to its end and reads back every request it made. */
export async function runToEnd(
  ctx: LoadContext,
  scenario: string,
  options: { subdir?: string; env?: Record<string, string>; quiet?: boolean } = {},
): Promise<LocustOutcome> {
  const run = startScenario(ctx, scenario, options);
  return collect(run, await run.exited);
}

/** The auditor over the stack's databases, after letting in-flight work land. */
export function audit(ctx: LoadContext, settleSeconds = 120): Promise<AuditReport> {
  ctx.log(`[load] auditing (waits up to ${settleSeconds} s for in-flight work to settle)`);
  const adminUrl =
    process.env.SURGE_PG_ADMIN_URL ?? defaultAdminUrl(portFromEnv(process.env, 'SURGE_PG_PORT', 5432));
  return runAudit({ adminUrl, settleSeconds, databaseSuffix: databaseSuffix(process.env) });
}

export function loadSlos(repoRoot: string): SloTable {
  return readSloTable(repoRoot);
}

/** A number parameter from the environment (LOAD_*), or its default. */
export function numberParam(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw} is not a non-negative number`);
  return value;
}
