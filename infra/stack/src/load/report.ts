import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditReport } from '../audit/audit-types';
import { errorRateChart, latencyChart, throughputChart } from './charts';
import {
  bucketize,
  bucketSecondsFor,
  measureByFlow,
  type ArrivalCheck,
  type Bucket,
  type RequestPoint,
} from './request-points';
import type { FaultWindow } from './recovery';
import { judgeSlos, type SloTable, type SloVerdict } from './slo';

/** A figure of a report: its SVG goes to docs/results/<scenario>/<file>. */
export interface Figure {
  file: string;
  title: string;
  svg: string;
}

export interface ReportInput {
  repoRoot: string;
  scenario: string;
  title: string;
  /** Why the run exists and what it did, a paragraph. */
  summary: string;
  /** Set for runs smaller than the scenario's defaults: shown at the top, so no one quotes them. */
  caveat?: string;
  command: string;
  parameters: Record<string, string>;
  /** Locust's verdict (its exit code, explained). */
  generatorExit?: string;
  /** How the generator ran: one process or a master and workers, pinned or not. */
  generator?: string;
  /** Arrivals asked, started and dropped: whether the rate asked was the rate sent. */
  arrivals?: ArrivalCheck;
  slos?: SloVerdict[];
  audit?: AuditReport;
  figures: Figure[];
  /** Scenario-specific sections (recovery table, scaling table), markdown. */
  sections?: string[];
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const percent = (value: number) => `${(value * 100).toFixed(2)}%`;

/** The SLO table of a report: objective and measured value per group, and the verdict. */
export function sloTable(verdicts: SloVerdict[]): string {
  const rows = verdicts.map((v) => {
    const m = v.measured;
    const cell = (value: string, objective: string, key: SloVerdict['missed'][number]) =>
      `${value} (< ${objective})${v.missed.includes(key) ? ' **missed**' : ''}`;
    return m
      ? `| ${v.flow} | ${m.requests} | ${cell(`${ms(m.p95Ms)} ms`, `${v.slo.p95Ms}`, 'p95')} | ${cell(`${ms(m.p99Ms)} ms`, `${v.slo.p99Ms}`, 'p99')} | ${cell(percent(m.errorRate), percent(v.slo.maxErrorRate), 'errors')} | ${v.pass ? 'pass' : '**FAIL**'} |`
      : `| ${v.flow} | 0 | | | | no traffic |`;
  });
  return ['| group | requests | p95 | p99 | errors | verdict |', '|---|---|---|---|---|---|', ...rows].join(
    '\n',
  );
}

export function auditSection(audit: AuditReport): string {
  const lines = [
    `**${audit.ok ? 'Consistent' : 'VIOLATIONS'}** (settled after ${audit.settledAfterSeconds} s, at ${audit.at})`,
    '',
    '| invariant | checked | verdict |',
    '|---|---|---|',
    ...audit.invariants.map(
      (i) =>
        `| ${i.name} | ${i.checked} | ${i.violations.length === 0 ? 'ok' : `**${i.violations.length} violated**: ${i.violations.slice(0, 3).join('; ')}`} |`,
    ),
  ];
  return lines.join('\n');
}

export function machine(generator = 'Locust'): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.platform()} ${os.release()}, Node ${process.version}; ${generator} on the same machine as the stack`;
}

/** The arrivals line of a report: asked, started, dropped. */
export function arrivalsLine(check: ArrivalCheck): string {
  const asked = check.asked === undefined ? '' : `${Math.round(check.asked)} asked, `;
  const achieved =
    check.achieved === undefined ? '' : ` (${(check.achieved * 100).toFixed(1)}% of those asked)`;
  return `${asked}${check.started} started${achieved}, ${check.dropped} dropped (every user busy)`;
}

/** The figures every time-series report has: throughput, latency percentiles, error rate. */
export async function timeSeriesFigures(buckets: Bucket[], windows: FaultWindow[] = []): Promise<Figure[]> {
  return [
    { file: 'throughput.svg', title: 'Requests per second', svg: await throughputChart(buckets, windows) },
    { file: 'latency.svg', title: 'Latency p50 / p95 / p99', svg: await latencyChart(buckets, windows) },
    { file: 'errors.svg', title: 'Error rate', svg: await errorRateChart(buckets, windows) },
  ];
}

/** Buckets and per-group SLO verdicts of a run's requests (setup's requests left out). */
export function analyze(points: RequestPoint[], table: SloTable) {
  const traffic = points.filter((point) => point.flow !== 'other');
  const buckets = bucketize(traffic, bucketSecondsFor(traffic));
  return { traffic, buckets, slos: judgeSlos(table, measureByFlow(traffic)) };
}

/** Writes docs/results/<scenario>.md and its figures; returns the markdown file. */
export function writeReport(input: ReportInput): string {
  const dir = path.join(input.repoRoot, 'docs', 'results', input.scenario);
  fs.mkdirSync(dir, { recursive: true });
  for (const figure of input.figures) fs.writeFileSync(path.join(dir, figure.file), figure.svg);
  const parameters = Object.entries(input.parameters)
    .map(([name, value]) => `\`${name}=${value}\``)
    .join(', ');
  const parts = [
    `# ${input.title}`,
    input.caveat ? `> **${input.caveat}**` : '',
    // A word on the conditions of a run of record (LOAD_REPORT_NOTE), e.g. a shared machine.
    process.env.LOAD_REPORT_NOTE ? `> ${process.env.LOAD_REPORT_NOTE}` : '',
    input.summary,
    [
      `- Command: \`${input.command}\`${parameters ? ` with ${parameters}` : ''}`,
      `- Machine: ${machine(input.generator)}`,
      `- Run at: ${new Date().toISOString()}`,
      ...(input.generatorExit ? [`- Locust: ${input.generatorExit}`] : []),
      ...(input.arrivals ? [`- Visits (arrivals): ${arrivalsLine(input.arrivals)}`] : []),
    ].join('\n'),
    input.slos ? `## SLOs per group\n\n${sloTable(input.slos)}` : '',
    ...(input.sections ?? []),
    input.audit ? `## The auditor's verdict\n\n${auditSection(input.audit)}` : '',
    ...input.figures.map(
      (figure) => `## ${figure.title}\n\n![${figure.title}](${input.scenario}/${figure.file})`,
    ),
  ];
  const file = path.join(input.repoRoot, 'docs', 'results', `${input.scenario}.md`);
  fs.writeFileSync(file, `${parts.filter(Boolean).join('\n\n')}\n`);
  return file;
}
