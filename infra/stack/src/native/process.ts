import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface DaemonSpec {
  command: string;
  args: string[];
  cwd: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts a long-running server detached: it becomes the leader of its own session and
 * process group, so a Ctrl-C sent to the terminal's process group reaches only the CLI,
 * which then stops things in order: services first, then Kafka, Redis and Postgres.
 * Output is appended to the log file, never to our terminal.
 * Resolves with the pid once the OS has started the program (ENOENT etc. reject).
 */
export async function spawnDaemon(spec: DaemonSpec): Promise<number> {
  fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
  fs.appendFileSync(
    spec.logFile,
    `\n----- ${new Date().toISOString()} starting: ${spec.command} ${spec.args.join(' ')}\n`,
  );
  const fd = fs.openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    // Do not keep our event loop alive for it; libuv still reaps it if it exits early.
    child.unref();
    if (child.pid === undefined) throw new Error(`${spec.command} did not get a pid`);
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user (e.g. postgres run via setpriv).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readProc(pid, 'stat');
  if (stat === null) return true; // no /proc: trust kill(0)
  // The state letter follows the parenthesised command name, which may contain spaces.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** The process's command line joined with spaces, or null when it is gone or unreadable. */
export function commandLine(pid: number): string | null {
  const raw = readProc(pid, 'cmdline');
  return raw === null ? null : raw.split('\0').join(' ').trim();
}

/** The process's working directory, or null when it is gone or unreadable. */
export function processCwd(pid: number): string | null {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}

function readProc(pid: number, file: string): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

export interface StopOptions {
  /** Postgres wants SIGINT ("fast" shutdown); SIGTERM is only "smart" there and waits for clients. */
  signal?: NodeJS.Signals;
  timeoutMs?: number;
}

export type StopResult = 'not-running' | 'stopped' | 'killed';

/** Sends the polite signal, waits, then SIGKILLs the whole process group. */
export async function stopGracefully(pid: number, opts: StopOptions = {}): Promise<StopResult> {
  const { signal = 'SIGTERM', timeoutMs = 20_000 } = opts;
  if (!isAlive(pid)) return 'not-running';
  try {
    process.kill(pid, signal);
  } catch {
    return 'not-running';
  }
  if (await waitForExit(pid, timeoutMs)) return 'stopped';
  // The daemon leads its own process group (see spawnDaemon); kill children with it.
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  await waitForExit(pid, 5_000);
  return 'killed';
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last lines of a log file, for error messages that point at the cause. */
export function tailFile(file: string, lines = 15): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
