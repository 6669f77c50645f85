import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { FLOWS, type Flow, type FlowMeasure } from './slo';

/** One request as k6's JSON output reports it (an `http_req_duration` point). */
export interface RequestPoint {
  /** Epoch milliseconds. */
  at: number;
  ms: number;
  flow: Flow | 'other';
  /** k6's `expected_response` tag: false for a failed request (status >= 400 or no answer). */
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

/**
 * Reads one line of k6's `--out json` output; returns the request it describes, or
 * undefined for every other line (metric declarations, other metrics).
 */
export function parsePointLine(line: string): RequestPoint | undefined {
  if (!line.includes('"http_req_duration"')) return undefined;
  const parsed = JSON.parse(line) as {
    type?: string;
    metric?: string;
    data?: { time: string; value: number; tags?: Record<string, string> };
  };
  if (parsed.type !== 'Point' || parsed.metric !== 'http_req_duration' || !parsed.data) return undefined;
  const tags = parsed.data.tags ?? {};
  const flow = (FLOWS as readonly string[]).includes(tags.flow ?? '') ? (tags.flow as Flow) : 'other';
  return {
    at: Date.parse(parsed.data.time),
    ms: parsed.data.value,
    flow,
    failed: tags.expected_response === 'false',
  };
}

/** Every request of a k6 JSON output file (gzipped when it ends in .gz), streamed. */
export async function readRequestPoints(file: string): Promise<RequestPoint[]> {
  const raw = fs.createReadStream(file);
  const input = file.endsWith('.gz') ? raw.pipe(zlib.createGunzip()) : raw;
  const points: RequestPoint[] = [];
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
    const point = parsePointLine(line);
    if (point) points.push(point);
  }
  return points.sort((a, b) => a.at - b.at);
}

/** The p-th percentile (0..1) of sorted values, interpolated linearly between ranks as k6 does. */
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
