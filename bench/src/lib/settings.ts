/**
 * The knobs every benchmark shares, read once from the environment. Defaults are for a
 * quiet machine; a short proof run sets BENCH_SECONDS=3 or so.
 */
export interface BenchSettings {
  /** Length of each measured run (wrk, pgbench, event stream). */
  seconds: number;
  /** Unmeasured run before each measured one: JIT, pools and caches warm up. */
  warmupSeconds: number;
  /** Concurrent connections (wrk) and clients (pgbench, checkout loop). */
  connections: number;
  /** The CPU the server under test is pinned to (taskset). */
  serverCpu: string;
  /** The CPU(s) the load generator and helpers are pinned to. */
  clientCpu: string;
  /**
   * Measured runs per figure where a benchmark repeats them (gateway-vs-nginx,
   * service-reads): the median is reported, every run is listed.
   */
  repeats: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, got ${raw}`);
  return value;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  return {
    seconds: int(env, 'BENCH_SECONDS', 20),
    warmupSeconds: int(env, 'BENCH_WARMUP_SECONDS', 5),
    connections: int(env, 'BENCH_CONNECTIONS', 64),
    serverCpu: env.BENCH_SERVER_CPU ?? '0',
    clientCpu: env.BENCH_CLIENT_CPU ?? '1',
    repeats: Math.max(1, int(env, 'BENCH_REPEATS', 3)),
  };
}

/** The BENCH_* variables that were set, so a report's command reproduces this very run. */
export function benchEnvPrefix(env: NodeJS.ProcessEnv = process.env): string {
  return Object.keys(env)
    .filter((name) => name.startsWith('BENCH_'))
    .sort()
    .map((name) => `${name}=${env[name]} `)
    .join('');
}
