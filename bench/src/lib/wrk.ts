import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkOptions {
  wrk: string;
  url: string;
  seconds: number;
  connections: number;
  /** CPU list for wrk itself (taskset). */
  cpu: string;
  headers?: Record<string, string>;
}

export interface WrkResult {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers outside 2xx/3xx, and connect/read/write/timeout errors: a valid run has none. */
  non2xx: number;
  socketErrors: number;
}

/** One wrk run (one thread: it has one core), parsed from its --latency report. */
export async function runWrk(opts: WrkOptions): Promise<WrkResult> {
  const headerArgs = Object.entries(opts.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const args = [
    '-c',
    opts.cpu,
    opts.wrk,
    '-t1',
    `-c${opts.connections}`,
    `-d${Math.max(1, Math.round(opts.seconds))}s`,
    '--latency',
    ...headerArgs,
    opts.url,
  ];
  const { stdout } = await run('taskset', args, { maxBuffer: 1 << 20 });
  return parseWrk(stdout);
}

/** wrk prints durations as 812.00us, 1.23ms or 2.01s. */
function toMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return Number.NaN;
  const value = Number(m[1]);
  return { us: value / 1000, ms: value, s: value * 1000, m: value * 60_000 }[m[2] as 'us' | 'ms' | 's' | 'm'];
}

export function parseWrk(out: string): WrkResult {
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!rps) throw new Error(`could not read wrk's output:\n${out}`);
  return {
    requestsPerSecond: Number(rps[1]),
    requests: num(/(\d+) requests in/),
    p50Ms: toMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? ''),
    p99Ms: toMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? ''),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}
