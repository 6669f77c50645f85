import { InfraError, componentLog, type Log, consoleLog } from './log';
import { type Component, type SurgePaths, surgePaths } from './paths';
import { isPortOpen } from './ports';
import { type StopResult, sleep, stopGracefully } from './process';
import { type RunRecord, isOurLiveServer, isOurProcess, readRunRecord, removeRunRecord } from './run-state';

export interface EnsureOptions {
  log?: Log;
  paths?: SurgePaths;
  env?: NodeJS.ProcessEnv;
  /** Readiness timeout; default SURGE_INFRA_TIMEOUT_MS or a per-component default. */
  timeoutMs?: number;
  /** Aborts readiness waits (e.g. Ctrl-C during `up`). */
  signal?: AbortSignal;
}

/**
 * How we came to have the server:
 * - `started`: this process started it, and only this process stops it;
 * - `ours-running`: another Surge process started it (its pid file says so) and still runs it;
 * - `existing`: something else already listened on the port and is compatible (a developer's own server);
 * - `external`: an env var (SURGE_PG_ADMIN_URL, REDIS_URL, KAFKA_BROKERS) named it.
 */
export type HandleSource = 'started' | 'ours-running' | 'existing' | 'external';

export interface BaseHandle {
  component: Component;
  host: string;
  port: number;
  /** The daemon's pid when it is one of ours (started by us or by another Surge process). */
  pid: number | null;
  startedByUs: boolean;
  source: HandleSource;
}

/** Postgres shuts down "fast" (rolls back open transactions) on SIGINT; SIGTERM would wait for clients. */
export const STOP_SIGNAL: Record<Component, NodeJS.Signals> = {
  toxiproxy: 'SIGTERM',
  jaeger: 'SIGTERM',
  mailpit: 'SIGTERM',
  kafka: 'SIGTERM',
  redis: 'SIGTERM',
  postgres: 'SIGINT',
};

export interface Resolved {
  /** Prefixed with `[infra] <component>: `. */
  log: Log;
  /** The caller's unprefixed sink, for helpers that prefix by themselves (apt). */
  sink: Log;
  paths: SurgePaths;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

export function resolveOptions(
  component: Component,
  opts: EnsureOptions,
  defaultTimeoutMs: number,
): Resolved {
  const env = opts.env ?? process.env;
  const fromEnv = Number(env['SURGE_INFRA_TIMEOUT_MS']);
  const sink = opts.log ?? consoleLog;
  return {
    log: componentLog(sink, component),
    sink,
    paths: opts.paths ?? surgePaths(env),
    env,
    timeoutMs: opts.timeoutMs ?? (fromEnv > 0 ? fromEnv : defaultTimeoutMs),
    signal: opts.signal,
  };
}

export function portFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`${name}=${raw} is not a TCP port`);
  return port;
}

/**
 * The record of a server another Surge process started and still runs, or null. A stale
 * record (process gone, or the pid now belongs to something else) is deleted.
 */
export function liveRecord(paths: SurgePaths, component: Component): RunRecord | null {
  const record = readRunRecord(paths, component);
  if (!record) return null;
  if (isOurLiveServer(record)) return record;
  removeRunRecord(paths, component);
  return null;
}

/**
 * Our server already runs, but on another port than asked (SURGE_*_PORT changed): a
 * second copy on the same data directory would corrupt it or fail on its lock.
 */
export function assertSamePort(record: RunRecord, port: number, envName: string): void {
  if (record.port === port) return;
  throw new InfraError(
    record.component,
    `Surge's ${record.component} already runs on ${record.host}:${record.port} (pid ${record.pid}), not on port ${port}`,
    `stop it first (\`npm run stack -- down\`), or set ${envName}=${record.port}`,
  );
}

/**
 * Stops the server a pid file names, if it is still ours. Used by `down`, and by the
 * process that started it. Waits until its ports are closed.
 */
export async function stopRecorded(
  paths: SurgePaths,
  component: Component,
  log: Log,
  expectedPid?: number,
): Promise<StopResult | 'no-record'> {
  const record = readRunRecord(paths, component);
  if (!record || (expectedPid !== undefined && record.pid !== expectedPid)) return 'no-record';
  if (!isOurLiveServer(record)) {
    removeRunRecord(paths, component);
    return 'not-running';
  }
  log(`stopping (pid ${record.pid})`);
  const result = await stopGracefully(record.pid, { signal: STOP_SIGNAL[component] });
  removeRunRecord(paths, component);
  await waitPortsClosed(record, log);
  log(result === 'killed' ? `did not stop within 20 s; killed (pid ${record.pid})` : 'stopped');
  return result;
}

/**
 * Waits for a server we just spawned to become ready; if it does not (timeout, crash,
 * Ctrl-C), stops it before rethrowing, so a failed start leaves nothing running.
 */
export async function readyOrStop<T>(
  o: Resolved,
  component: Component,
  pid: number,
  ready: Promise<T>,
): Promise<T> {
  try {
    return await ready;
  } catch (err) {
    await stopRecorded(o.paths, component, o.log, pid).catch(() => undefined);
    throw err;
  }
}

/** Stops a server by pid when the pid file is gone but the handle says we started it. */
export async function stopPid(component: Component, pid: number, marker: string, log: Log): Promise<void> {
  if (!isOurProcess(pid, marker)) return;
  log(`stopping (pid ${pid})`);
  await stopGracefully(pid, { signal: STOP_SIGNAL[component] });
  log('stopped');
}

/**
 * Stops a daemon only when this handle started it: through its run record, or, when the
 * record is gone, by pid, guarded by a marker in its command line (pids get reused).
 * Mailpit, Jaeger and Toxiproxy stop this way.
 */
export async function stopOwnedDaemon(
  component: Component,
  handle: { startedByUs: boolean; pid: number | null },
  markerOf: (paths: SurgePaths) => string,
  opts: { log?: Log; paths?: SurgePaths } = {},
): Promise<void> {
  if (!handle.startedByUs || handle.pid === null) return;
  const log = componentLog(opts.log ?? consoleLog, component);
  const paths = opts.paths ?? surgePaths();
  const result = await stopRecorded(paths, component, log, handle.pid);
  if (result === 'no-record') await stopPid(component, handle.pid, markerOf(paths), log);
}

async function waitPortsClosed(record: RunRecord, log: Log): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (const port of record.ports) {
    while (await isPortOpen(record.host, port)) {
      if (Date.now() > deadline) {
        log(`warning: ${record.host}:${port} still accepts connections after stopping pid ${record.pid}`);
        break;
      }
      await sleep(100);
    }
  }
}
