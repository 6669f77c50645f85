import fs from 'node:fs';
import path from 'node:path';

/** The groups every request of a load run is tagged with (`flow` tag). */
export const FLOWS = ['browse', 'search', 'cart', 'checkout', 'auth'] as const;
export type Flow = (typeof FLOWS)[number];

/** One group's service-level objective: latency percentiles and the share of failed requests. */
export interface Slo {
  p95Ms: number;
  p99Ms: number;
  maxErrorRate: number;
}
export type SloTable = Record<Flow, Slo>;

/** What a run measured for one group. */
export interface FlowMeasure {
  requests: number;
  p95Ms: number;
  p99Ms: number;
  errorRate: number;
}

export interface SloVerdict {
  flow: Flow;
  slo: Slo;
  measured: FlowMeasure | undefined;
  /** Which objectives were missed; empty when the group passed (or saw no traffic). */
  missed: Array<'p95' | 'p99' | 'errors'>;
  pass: boolean;
}

/**
 * The SLO table lives once, in load-tests/lib/slo.json: the locustfiles judge each run by
 * it (a missed objective fails the run) and the report step turns it into its table.
 */
export function readSloTable(repoRoot: string): SloTable {
  return JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'load-tests', 'lib', 'slo.json'), 'utf8'),
  ) as SloTable;
}

/** Judges each group against its objectives. A group that saw no request passes vacuously. */
export function judgeSlos(table: SloTable, measures: Partial<Record<Flow, FlowMeasure>>): SloVerdict[] {
  return FLOWS.map((flow) => {
    const slo = table[flow];
    const measured = measures[flow];
    const missed: SloVerdict['missed'] = [];
    if (measured && measured.requests > 0) {
      if (measured.p95Ms > slo.p95Ms) missed.push('p95');
      if (measured.p99Ms > slo.p99Ms) missed.push('p99');
      if (measured.errorRate > slo.maxErrorRate) missed.push('errors');
    }
    return { flow, slo, measured, missed, pass: missed.length === 0 };
  });
}
