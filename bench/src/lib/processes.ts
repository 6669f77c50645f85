import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface Started {
  child: ChildProcess;
  pid: number;
  /** SIGTERM (SIGKILL after a grace), resolved once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnPinnedOptions {
  /** taskset CPU list ("0", "1", "0-1"); the process and every thread it makes stay there. */
  cpu: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr go here (a service's log, as the stack keeps it). */
  logFile: string;
}

const live = new Set<Started>();

/** Stops every process this run started that still runs (a failed benchmark leaves none behind). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

/** Starts a command pinned to CPUs with taskset, output to a file. */
export function spawnPinned(command: string, args: string[], opts: SpawnPinnedOptions): Started {
  const out = fs.openSync(opts.logFile, 'a');
  const child = spawn('taskset', ['-c', opts.cpu, command, ...args], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started: Started = {
    child,
    pid: child.pid,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  live.add(started);
  void exited.then(() => live.delete(started));
  return started;
}

/** Polls a URL until it answers 2xx; fails with the end of the log when the process dies first. */
export async function waitForHttp(
  url: string,
  started: Started,
  logFile: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null)
      throw new Error(`process exited (${started.child.exitCode}) before ${url} answered:\n${tail(logFile)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${tail(logFile)}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
