import fs from 'node:fs';
import path from 'node:path';
import type { AuditReport } from '../audit/audit-types';
import type { RequestKind, Sample } from './traffic';

export interface ScenarioReport {
  scenario: string;
  description: string;
  /** What a client sees during the fault, in words. */
  clientView: string;
  startedAt: string;
  faultWindow: { from: number; to: number };
  requests: Record<RequestKind, { total: number; byStatus: Record<string, number> }>;
  /** Answers the contract does not allow for the fault (e.g. a 500, or no answer at all). */
  unexpected: number;
  worstLatencyMs: number;
  p99LatencyMs: number;
  /** From the end of the fault to the first successful checkout (201) after it. */
  recoverySeconds: number | null;
  audit: { ok: boolean; settledAfterSeconds: number; violations: number };
}

export function summarize(
  meta: { scenario: string; description: string; clientView: string; allowed: (sample: Sample) => boolean },
  samples: Sample[],
  faultWindow: { from: number; to: number },
  audit: AuditReport,
): ScenarioReport {
  const requests = {
    browse: { total: 0, byStatus: {} },
    cart: { total: 0, byStatus: {} },
    checkout: { total: 0, byStatus: {} },
  } as ScenarioReport['requests'];
  for (const sample of samples) {
    const entry = requests[sample.kind];
    entry.total += 1;
    const key = sample.status === 0 ? 'no answer' : String(sample.status);
    entry.byStatus[key] = (entry.byStatus[key] ?? 0) + 1;
  }
  const latencies = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const firstGood = samples.find(
    (sample) => sample.at >= faultWindow.to && sample.kind === 'checkout' && sample.status === 201,
  );
  return {
    scenario: meta.scenario,
    description: meta.description,
    clientView: meta.clientView,
    startedAt: new Date(samples[0]?.at ?? Date.now()).toISOString(),
    faultWindow,
    requests,
    unexpected: samples.filter((sample) => !meta.allowed(sample)).length,
    worstLatencyMs: latencies.at(-1) ?? 0,
    p99LatencyMs: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    recoverySeconds: firstGood ? Math.round((firstGood.at - faultWindow.to) / 100) / 10 : null,
    audit: {
      ok: audit.ok,
      settledAfterSeconds: audit.settledAfterSeconds,
      violations: audit.invariants.reduce((sum, invariant) => sum + invariant.violations.length, 0),
    },
  };
}

export function formatScenario(report: ScenarioReport): string {
  const lines = [
    `${report.scenario}: ${report.description}`,
    `  client view: ${report.clientView}`,
    ...Object.entries(report.requests).map(
      ([kind, entry]) =>
        `  ${kind.padEnd(9)} ${String(entry.total).padStart(5)} requests  ${Object.entries(entry.byStatus)
          .map(([status, n]) => `${status}×${n}`)
          .join('  ')}`,
    ),
    `  unexpected answers: ${report.unexpected}   worst latency ${report.worstLatencyMs} ms   p99 ${report.p99LatencyMs} ms`,
    `  recovered ${report.recoverySeconds === null ? 'never (no checkout succeeded after the fault)' : `${report.recoverySeconds} s after the fault ended`}`,
    `  audit: ${report.audit.ok ? 'OK' : `${report.audit.violations} VIOLATIONS`} (settled after ${report.audit.settledAfterSeconds} s)`,
  ];
  return lines.join('\n');
}

/** docs/results/chaos/<scenario>.json and .txt: the figure and the command that made it. */
export function writeScenarioReport(repoRoot: string, report: ScenarioReport): string {
  const dir = path.join(repoRoot, 'docs', 'results', 'chaos');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${report.scenario}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const text = `${formatScenario(report)}\n\nreproduce: npm run chaos -- ${report.scenario}\n`;
  fs.writeFileSync(path.join(dir, `${report.scenario}.txt`), text);
  return dir;
}
