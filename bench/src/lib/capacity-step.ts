import {
  measure,
  measureByFlow,
  percentile,
  type RunPoints,
  judgeSlos,
  type SloTable,
  type SloVerdict,
} from '@surge/stack/load';

/** The share of a step's arrivals that may be dropped (every user busy), as the load runs allow. */
export const MAX_DROPPED_SHARE = 0.02;

/** One step of the capacity search: an arrival rate held for a while, measured and judged. */
export interface StepResult {
  /** Visits per second asked. */
  rate: number;
  /** Length of the measured window (the step less its warm-up), seconds. */
  windowSeconds: number;
  /** Visits started per second over the measured window: the rate that reached the shop. */
  visitsPerSecond: number;
  requestsPerSecond: number;
  /** Every group together over the measured window. */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errorRate: number;
  /** Over the whole step, as the locustfile counts them. */
  visitsStarted: number;
  visitsDropped: number;
  slos: SloVerdict[];
  /** Each objective missed, as a phrase ("browse p95 312 ms > 300 ms"); empty when the step passed. */
  missed: string[];
  passed: boolean;
}

export interface StepJudging {
  rate: number;
  stepSeconds: number;
  /** Left out of the latency and error figures: pools, caches and JIT warm up. */
  warmupSeconds: number;
  slos: SloTable;
}

/**
 * Judges one step from what its Locust run recorded. Latencies and errors count over the
 * measured window only (from the first arrival plus the warm-up to the step's end);
 * arrivals count over the whole step, since a visit dropped during the warm-up was not
 * made either. A step passes when every group meets its SLO and at most 2% of the
 * arrivals asked were dropped (at least 2 allowed, as the locustfile allows), and it
 * measured some traffic at all.
 */
export function judgeStep(points: RunPoints, judging: StepJudging): StepResult {
  const { rate, stepSeconds, warmupSeconds } = judging;
  const first = points.visits.length > 0 ? Math.min(...points.visits) : points.requests[0]?.at;
  const from = (first ?? 0) + warmupSeconds * 1000;
  const to = (first ?? 0) + stepSeconds * 1000;
  const windowSeconds = Math.max(0, stepSeconds - warmupSeconds);
  const traffic = points.requests.filter((p) => p.flow !== 'other' && p.at >= from && p.at < to);
  const visits = points.visits.filter((at) => at >= from && at < to).length;
  const all = measure(traffic);
  const sorted = traffic.map((p) => p.ms).sort((a, b) => a - b);
  const slos = judgeSlos(judging.slos, measureByFlow(traffic));
  const missed = missedObjectives(slos, points.dropped.length, rate * stepSeconds);
  if (traffic.length === 0) missed.push('no request measured');
  return {
    rate,
    windowSeconds,
    visitsPerSecond: windowSeconds > 0 ? visits / windowSeconds : 0,
    requestsPerSecond: windowSeconds > 0 ? traffic.length / windowSeconds : 0,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: all.p95Ms,
    p99Ms: all.p99Ms,
    errorRate: all.errorRate,
    visitsStarted: points.visits.length,
    visitsDropped: points.dropped.length,
    slos,
    missed,
    passed: missed.length === 0,
  };
}

/** Each objective a step missed, in the order of the SLO table, then the dropped arrivals. */
export function missedObjectives(slos: SloVerdict[], dropped: number, asked: number): string[] {
  const missed: string[] = [];
  for (const verdict of slos) {
    const m = verdict.measured;
    if (!m) continue;
    if (verdict.missed.includes('p95'))
      missed.push(`${verdict.flow} p95 ${ms(m.p95Ms)} > ${verdict.slo.p95Ms} ms`);
    if (verdict.missed.includes('p99'))
      missed.push(`${verdict.flow} p99 ${ms(m.p99Ms)} > ${verdict.slo.p99Ms} ms`);
    if (verdict.missed.includes('errors'))
      missed.push(`${verdict.flow} errors ${pct(m.errorRate)} > ${pct(verdict.slo.maxErrorRate)}`);
  }
  const allowed = Math.max(2, Math.floor(asked * MAX_DROPPED_SHARE));
  if (dropped > allowed)
    missed.push(
      `${dropped} visits dropped > ${allowed} (${pct(MAX_DROPPED_SHARE)} of ${Math.round(asked)} asked)`,
    );
  return missed;
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const pct = (value: number) => `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;
