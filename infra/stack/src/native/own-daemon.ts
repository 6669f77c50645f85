import { type Resolved, assertSamePort, liveRecord, readyOrStop } from './daemon';
import { InfraError } from './log';
import type { Component } from './paths';
import { isPortOpen, waitUntil } from './ports';
import { type DaemonSpec, spawnDaemon } from './process';
import { type RunRecord, whoAmI, withLock, writeRunRecord } from './run-state';

/** A port besides the first that a running daemon of ours must use too (Mailpit's API, say). */
export interface RecordedPort {
  /** Its place in the run record's `ports`. */
  index: number;
  port: number;
  /** The variable that moves it, named in the error. */
  env: string;
  /** What is on it, for the error: "Mailpit already serves its API". */
  what: string;
}

/** What differs between the native daemons; ensureDaemon runs the steps they share. */
export interface DaemonPlan<H> {
  component: Component;
  host: string;
  /** The daemon's first port, and the variable that moves it. */
  port: number;
  portEnv: string;
  otherPorts?: RecordedPort[];
  /** The ports where a server not started by Surge may already listen (default: `port`). */
  probePorts?: number[];
  /** Another Surge process runs ours: check that it answers, and hand it out (never stopped by us). */
  reuseOurs(record: RunRecord): Promise<H>;
  /** Something not ours listens: use it if it is compatible, else say why not. */
  reuseExisting(): Promise<H>;
  /** Nothing listens: install if needed, start our own, and stop it only ourselves. */
  startOwn(): Promise<H>;
}

/**
 * The one skeleton of every native daemon: under the component's lock (so `npm start` and
 * `npm test` started together do not both start one), reuse the daemon another Surge
 * process runs (on the same ports, or fail saying which); else the server already on the
 * port, if compatible; else start our own.
 */
export function ensureDaemon<H>(o: Resolved, plan: DaemonPlan<H>): Promise<H> {
  return withLock(o.paths, plan.component, o.log, async () => {
    const record = liveRecord(o.paths, plan.component);
    if (record) {
      assertSamePort(record, plan.port, plan.portEnv);
      for (const other of plan.otherPorts ?? []) assertSameOtherPort(record, other);
      return plan.reuseOurs(record);
    }
    const probes = plan.probePorts ?? [plan.port];
    const open = await Promise.all(probes.map((port) => isPortOpen(plan.host, port)));
    if (open.some(Boolean)) return plan.reuseExisting();
    return plan.startOwn();
  });
}

function assertSameOtherPort(record: RunRecord, other: RecordedPort): void {
  const running = record.ports[other.index];
  if (running === other.port) return;
  throw new InfraError(
    record.component,
    `Surge's ${other.what} on ${record.host}:${running}, not on port ${other.port}`,
    `stop it first (\`npm run stack -- down\`), or set ${other.env}=${running}`,
  );
}

export interface OwnDaemon<T> {
  component: Component;
  host: string;
  /** Every port it listens on, the first one first. */
  ports: number[];
  /** A string in its command line (data dir, config file) proving a live pid is still ours. */
  marker: string;
  spawn: DaemonSpec;
  /** Until it returns a value, the daemon is not ready (a throw counts as "not yet"). */
  ready: () => Promise<T | undefined | false>;
  /** For the timeout message: "Redis to answer PING on 127.0.0.1:6379". */
  what: string;
  intervalMs?: number;
}

/**
 * Starts our own daemon, records it (run-state.ts: what lets another Surge process reuse
 * it and `down` stop it), and waits until it is ready. One that dies or never gets ready
 * is stopped before the error goes on, so a failed start leaves nothing running.
 */
export async function spawnOwnDaemon<T>(
  o: Resolved,
  daemon: OwnDaemon<T>,
): Promise<{ pid: number; ready: T; took: string }> {
  const started = Date.now();
  const pid = await spawnDaemon(daemon.spawn);
  const logFile = daemon.spawn.logFile;
  writeRunRecord(o.paths, {
    component: daemon.component,
    pid,
    host: daemon.host,
    port: daemon.ports[0]!,
    ports: daemon.ports,
    startedAt: new Date().toISOString(),
    startedBy: whoAmI(),
    logFile,
    marker: daemon.marker,
  });
  const ready = await readyOrStop(
    o,
    daemon.component,
    pid,
    waitUntil(daemon.ready, {
      component: daemon.component,
      what: daemon.what,
      timeoutMs: o.timeoutMs,
      ...(daemon.intervalMs === undefined ? {} : { intervalMs: daemon.intervalMs }),
      pid,
      logFile,
      ...(o.signal ? { signal: o.signal } : {}),
    }),
  );
  return { pid, ready, took: `${((Date.now() - started) / 1000).toFixed(1)} s` };
}
