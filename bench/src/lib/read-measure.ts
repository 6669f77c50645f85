import { cpuSecondsOfTree } from './cpu-time';
import { fmt } from './report';
import type { BenchSettings } from './settings';
import { runWrk, type WrkResult } from './wrk';

export interface Measured extends WrkResult {
  /** CPU time of the service per request, median of the measured runs, in microseconds. */
  cpuUsPerRequest: number;
  runs: number[];
  /** Non-2xx answers and socket errors summed over every measured run. */
  errorsInAllRuns: number;
}

export interface ReadLoad {
  wrk: string;
  url: string;
  /** The service's pid: its CPU time (and its children's) is read from /proc around each run. */
  pid: number;
  /** `product GET /api/products/{id}`, for the progress line. */
  label: string;
  /** What a real caller sends (the gateway forwards the bearer token and its x-forwarded-*). */
  headers?: Record<string, string>;
  /** Length of each measured run; the benchmark's BENCH_SECONDS unless a caller shortens it. */
  seconds?: number;
  warmupSeconds?: number;
}

/**
 * One read under wrk: a probe that must answer 200 (a 401 or 404 measured at full speed is
 * worth nothing), a warm-up, then BENCH_REPEATS runs, each as the service's CPU time per
 * request; the median run is the figure and every run is kept.
 */
export async function measureRead(settings: BenchSettings, load: ReadLoad): Promise<Measured> {
  const probe = await fetch(load.url, { headers: load.headers ?? {} });
  const text = await probe.text();
  if (probe.status !== 200) throw new Error(`${load.label} answered ${probe.status}: ${text.slice(0, 300)}`);
  const base = {
    wrk: load.wrk,
    url: load.url,
    connections: settings.connections,
    cpu: settings.clientCpu,
    ...(load.headers ? { headers: load.headers } : {}),
  };
  const warmup = load.warmupSeconds ?? settings.warmupSeconds;
  if (warmup > 0) await runWrk({ ...base, seconds: warmup });
  const runs: Array<WrkResult & { cpuUs: number }> = [];
  for (let i = 0; i < settings.repeats; i++) {
    const before = cpuSecondsOfTree(load.pid);
    const result = await runWrk({ ...base, seconds: load.seconds ?? settings.seconds });
    runs.push({
      ...result,
      cpuUs: ((cpuSecondsOfTree(load.pid) - before) * 1e6) / Math.max(1, result.requests),
    });
  }
  const sorted = [...runs].sort((a, b) => a.cpuUs - b.cpuUs);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  process.stdout.write(
    `[bench] ${load.label}: ${fmt(median.cpuUs)} µs CPU/request (runs ${runs.map((r) => fmt(r.cpuUs)).join(', ')})\n`,
  );
  return {
    ...median,
    cpuUsPerRequest: median.cpuUs,
    runs: runs.map((r) => r.cpuUs),
    errorsInAllRuns: runs.reduce((sum, r) => sum + r.non2xx + r.socketErrors, 0),
  };
}
