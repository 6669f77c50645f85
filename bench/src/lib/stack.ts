import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findRepoRoot } from '@surge/stack/native';

export interface RunningStack {
  /** The npm process: the root of the launcher's process tree. */
  pid: number;
  child: ChildProcess;
  /** Milliseconds from spawning `npm start` to "Surge is up". */
  readyMs: number;
  gatewayUrl: string;
  /** Ctrl-C to the whole launcher (npm forwards nothing; the process group gets it, as in a terminal). */
  stop(): Promise<void>;
}

/**
 * `npm start`, exactly as a user runs it, in its own process group; resolves once the
 * stack says it is up. Output goes to a log file in `dir`. `env` adds to the environment
 * `npm start` inherits (a bench that must lift a limit says so where it calls this).
 */
export async function startStackAsNpmStart(
  dir: string,
  options: { timeoutMs?: number; env?: Readonly<Record<string, string>> } = {},
): Promise<RunningStack> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const root = findRepoRoot();
  const log = path.join(dir, 'npm-start.log');
  const out = fs.openSync(log, 'a');
  const started = Date.now();
  const child = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...options.env },
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error('could not run npm start');
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-pid, 'SIGINT');
    const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), 60_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    while (!/Surge is up/.test(fs.readFileSync(log, 'utf8'))) {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${tailOf(log)}`);
      if (Date.now() - started > timeoutMs)
        throw new Error(`stack not up in ${timeoutMs} ms:\n${tailOf(log)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const port = process.env.SURGE_GATEWAY_PORT ?? '8080';
  return { pid, child, readyMs: Date.now() - started, gatewayUrl: `http://127.0.0.1:${port}`, stop };
}

function tailOf(file: string): string {
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
}
