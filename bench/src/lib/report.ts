import fs from 'node:fs';
import path from 'node:path';
import { findRepoRoot } from '@surge/stack/native';
import { describeMachine, type MachineInfo } from './machine';
import { benchEnvPrefix, type BenchSettings } from './settings';

/** A goal from the load-and-performance issue and how this run measured against it. */
export interface GoalCheck {
  /** "gateway ≥ 35% of nginx". */
  statement: string;
  /** The measured value in the goal's unit (a ratio, milliseconds, GB). */
  measured: number;
  target: number;
  /** "higher" when the measured value must reach the target, "lower" when it must stay under it. */
  better: 'higher' | 'lower';
  unit: string;
}

export interface BenchReport {
  name: string;
  title: string;
  /** One paragraph: what was measured against what. */
  summary: string;
  goals: GoalCheck[];
  /** Markdown tables or lists, each under its own heading. */
  sections: Array<{ heading: string; markdown: string }>;
  /** The raw figures, machine-readable. */
  data: Record<string, unknown>;
  settings: BenchSettings;
}

/** Met, or missed by how much. */
export function verdict(goal: GoalCheck): string {
  const met = goal.better === 'higher' ? goal.measured >= goal.target : goal.measured <= goal.target;
  if (met) return 'met';
  const gap = Math.abs(goal.measured - goal.target);
  const share = Math.round((goal.measured / goal.target) * 100);
  return goal.better === 'higher'
    ? `missed by ${fmt(gap)} ${goal.unit}: ${share}% of the target reached`
    : `missed by ${fmt(gap)} ${goal.unit}: ${share - 100}% over the target`;
}

export function fmt(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(digits);
}

/** A markdown table from rows of cells; the first row is the header. */
export function table(rows: Array<Array<string | number>>): string {
  const [head, ...body] = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? fmt(cell) : cell)));
  if (!head) return '';
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...body.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** Writes docs/results/bench-<name>.md and .json, each with the command that reproduces it. */
export function writeReport(report: BenchReport): { markdown: string; json: string } {
  const dir = path.join(findRepoRoot(), 'docs', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const machine = describeMachine();
  const command = `${benchEnvPrefix()}npm run bench -- ${report.name}`;
  const measuredAt = new Date().toISOString();
  const markdown = path.join(dir, `bench-${report.name}.md`);
  const json = path.join(dir, `bench-${report.name}.json`);
  fs.writeFileSync(markdown, renderMarkdown(report, machine, command, measuredAt));
  fs.writeFileSync(
    json,
    `${JSON.stringify(
      {
        name: report.name,
        command,
        measuredAt,
        machine,
        settings: report.settings,
        goals: report.goals.map((g) => ({ ...g, verdict: verdict(g) })),
        data: report.data,
      },
      null,
      2,
    )}\n`,
  );
  return { markdown, json };
}

function renderMarkdown(report: BenchReport, machine: MachineInfo, command: string, at: string): string {
  const goals = table([
    ['goal', 'measured', 'target', 'verdict'],
    ...report.goals.map((g) => [
      g.statement,
      `${fmt(g.measured)} ${g.unit}`,
      `${g.better === 'higher' ? '≥' : '≤'} ${fmt(g.target)} ${g.unit}`,
      verdict(g),
    ]),
  ]);
  const s = report.settings;
  return [
    `# ${report.title}`,
    '',
    `Reproduce: \`${command}\` (from the repository root; see [docs/benchmarks.md](../benchmarks.md)).`,
    '',
    report.summary,
    '',
    '## Against the goal',
    '',
    report.goals.length > 0 ? goals : 'The issue sets no target for this figure; it is reported as measured.',
    '',
    ...report.sections.flatMap((section) => [`## ${section.heading}`, '', section.markdown, '']),
    '## Machine and settings',
    '',
    `- measured ${at} on commit ${machine.commit}`,
    `- ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, Linux ${machine.kernel}, Node ${machine.node}`,
    `- load average before the run: ${machine.loadBefore}${machine.loadBefore > 0.5 ? ' (the machine was busy: treat the figures as noisy)' : ''}`,
    `- settings: ${Object.entries(s)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ')}`,
    '',
  ].join('\n');
}
