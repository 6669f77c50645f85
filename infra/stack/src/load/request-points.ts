import fs from 'node:fs';
import readline from 'node:readline';
import { FLOWS, type Flow, type FlowMeasure } from './slo';

/** One request as the recorder of load-tests/lib/recorder.py writes it. */
export interface RequestPoint {
  /** When it was sent, epoch milliseconds. */
  at: number;
  ms: number;
  flow: Flow | 'other';
  /** The check failed: a status the contract does not promise for it, or no answer at all. */
  failed: boolean;
}

/** One time bucket of a run: requests per second, failures and latency percentiles. */
export interface Bucket {
  /** Bucket start, seconds since the first request of the run. */
  t: number;
  /** Bucket start, epoch milliseconds. */
  at: number;
  requestsPerSecond: number;
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** Everything a run recorded: its requests, and the arrivals it started or dropped (epoch ms). */
export interface RunPoints {
  requests: RequestPoint[];
  visits: number[];
  dropped: number[];
  /** Arrivals the run's shape asked for (the integral of its rate); undefined without a shape. */
  asked?: number;
}

/**
 * Reads one JSON line of the recorder's output into `into`. Lines of other kinds, and a
 * line cut short when a run was killed, are skipped.
 */
export function readPointLine(line: string, into: RunPoints): void {
  let parsed: { kind?: string; at?: number; ms?: number; flow?: string; failed?: boolean; asked?: number };
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch {
    return;
  }
  if (typeof parsed.at !== 'number') return;
  if (parsed.kind === 'visit') into.visits.push(parsed.at);
  else if (parsed.kind === 'dropped') into.dropped.push(parsed.at);
  else if (parsed.kind === 'summary' && typeof parsed.asked === 'number' && parsed.asked > 0)
    into.asked = parsed.asked;
  else if (parsed.kind === 'request' && typeof parsed.ms === 'number') {
    const flow = (FLOWS as readonly string[]).includes(parsed.flow ?? '') ? (parsed.flow as Flow) : 'other';
    into.requests.push({ at: parsed.at, ms: parsed.ms, flow, failed: parsed.failed === true });
  }
}

/** Every point of a run's JSON lines file, requests in time order; empty when the file is missing. */
export async function readRunPoints(file: string): Promise<RunPoints> {
  const points: RunPoints = { requests: [], visits: [], dropped: [] };
  if (!fs.existsSync(file)) return points;
  const input = fs.createReadStream(file);
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity }))
    readPointLine(line, points);
  points.requests.sort((a, b) => a.at - b.at);
  return points;
}

/** The p-th percentile (0..1) of sorted values, interpolated linearly between ranks (as lib/verdict.py does). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** Totals of a set of requests: count, latency percentiles, the share that failed. */
export function measure(points: RequestPoint[]): FlowMeasure {
  const sorted = points.map((point) => point.ms).sort((a, b) => a - b);
  const failed = points.filter((point) => point.failed).length;
  return {
    requests: points.length,
    p95Ms: percentile(sorted, 0.95),
    p99Ms: percentile(sorted, 0.99),
    errorRate: points.length === 0 ? 0 : failed / points.length,
  };
}

/** Totals per group. */
export function measureByFlow(points: RequestPoint[]): Partial<Record<Flow, FlowMeasure>> {
  const result: Partial<Record<Flow, FlowMeasure>> = {};
  for (const flow of FLOWS) {
    const mine = points.filter((point) => point.flow === flow);
    if (mine.length > 0) result[flow] = measure(mine);
  }
  return result;
}

/**
 * Requests in time buckets of `bucketSeconds`, from the first request to the last; a
 * bucket without requests is kept (zero throughput is what an outage looks like).
 */
export function bucketize(points: RequestPoint[], bucketSeconds: number): Bucket[] {
  if (points.length === 0) return [];
  const width = bucketSeconds * 1000;
  const start = points[0]!.at;
  const groups: RequestPoint[][] = [];
  for (const point of points) {
    const index = Math.floor((point.at - start) / width);
    (groups[index] ??= []).push(point);
  }
  const buckets: Bucket[] = [];
  for (let index = 0; index < groups.length; index += 1) {
    const group = groups[index] ?? [];
    const sorted = group.map((point) => point.ms).sort((a, b) => a - b);
    buckets.push({
      t: index * bucketSeconds,
      at: start + index * width,
      requestsPerSecond: group.length / bucketSeconds,
      errorRate: group.length === 0 ? 0 : group.filter((point) => point.failed).length / group.length,
      p50Ms: percentile(sorted, 0.5),
      p95Ms: percentile(sorted, 0.95),
      p99Ms: percentile(sorted, 0.99),
    });
  }
  return buckets;
}

/** A bucket width that keeps a chart to about 300 points, whatever the run's length. */
export function bucketSecondsFor(points: RequestPoint[]): number {
  if (points.length < 2) return 1;
  const seconds = (points[points.length - 1]!.at - points[0]!.at) / 1000;
  return Math.max(1, Math.ceil(seconds / 300));
}

/** What the generator sent against what it was asked to: the check that an arrival rate was really produced. */
export interface ArrivalCheck {
  asked: number | undefined;
  started: number;
  dropped: number;
  /** Started arrivals over asked ones (1 when the rate asked was the rate sent). */
  achieved: number | undefined;
}

export function checkArrivals(points: RunPoints): ArrivalCheck {
  const started = points.visits.length;
  return {
    asked: points.asked,
    started,
    dropped: points.dropped.length,
    achieved: points.asked ? started / points.asked : undefined,
  };
}
