import fs from 'node:fs';
import path from 'node:path';
import { runAudit } from '../audit/run-audit';
import type { AuditReport } from '../audit/audit-types';
import { portFromEnv } from '../native/daemon';
import { defaultAdminUrl } from '../native/postgres';
import { readRequestPoints, type RequestPoint } from './k6-points';
import { describeExit, startK6 } from './run-k6';
import { readSloTable, type SloTable } from './slo';

/** What every load scenario's runner gets from `npm run load`. */
export interface LoadContext {
  repoRoot: string;
  k6: string;
  gateway: string;
  log: (line: string) => void;
  /** `.surge/load/<scenario>/<time>`: k6's raw output for this run. */
  resultsDir: string;
  /** The LOAD_* parameters the caller set, as given: the report quotes them. */
  parameters: Record<string, string>;
  slos: SloTable;
}

/** The outcome of one k6 run: its exit code, explained, and its requests. */
export interface K6Outcome {
  code: number;
  verdict: string;
  points: RequestPoint[];
  /** The run's checks, from k6's summary. */
  checks: { passes: number; fails: number };
}

/** LOAD_* and the admin's credentials from our environment, for k6's __ENV. */
export function k6Env(ctx: LoadContext, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { LOAD_GATEWAY: ctx.gateway };
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && (name.startsWith('LOAD_') || name.startsWith('ADMIN_'))) env[name] = value;
  return { ...env, ...extra };
}

export function scriptPath(ctx: LoadContext, scenario: string): string {
  return path.join(ctx.repoRoot, 'load-tests', `${scenario}.js`);
}

/** Runs a k6 script to its end and reads back every request it made. */
export async function runToEnd(
  ctx: LoadContext,
  scenario: string,
  options: { subdir?: string; env?: Record<string, string>; quiet?: boolean } = {},
): Promise<K6Outcome> {
  const run = startK6({
    k6: ctx.k6,
    script: scriptPath(ctx, scenario),
    resultsDir: options.subdir ? path.join(ctx.resultsDir, options.subdir) : ctx.resultsDir,
    env: k6Env(ctx, options.env),
    log: ctx.log,
    ...(options.quiet ? { quiet: true } : {}),
  });
  const code = await run.exited;
  return {
    code,
    verdict: describeExit(code),
    points: await readRequestPoints(run.files.points),
    checks: readChecks(run.files.summary),
  };
}

/** Passed and failed checks from k6's --summary-export file (none when k6 wrote no summary). */
export function readChecks(summaryFile: string): { passes: number; fails: number } {
  if (!fs.existsSync(summaryFile)) return { passes: 0, fails: 0 };
  const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as {
    metrics?: { checks?: { passes?: number; fails?: number } };
  };
  return { passes: summary.metrics?.checks?.passes ?? 0, fails: summary.metrics?.checks?.fails ?? 0 };
}

/** The auditor over the stack's databases, after letting in-flight work land. */
export function audit(ctx: LoadContext, settleSeconds = 120): Promise<AuditReport> {
  ctx.log(`[load] auditing (waits up to ${settleSeconds} s for in-flight work to settle)`);
  const adminUrl =
    process.env.SURGE_PG_ADMIN_URL ?? defaultAdminUrl(portFromEnv(process.env, 'SURGE_PG_PORT', 5432));
  return runAudit({ adminUrl, settleSeconds });
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
