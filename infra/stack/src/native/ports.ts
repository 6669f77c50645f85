import { spawnSync } from 'node:child_process';
import net from 'node:net';

import { InfraError, errorMessage } from './log';
import { isAlive, sleep, tailFile } from './process';

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface WaitOptions {
  component: string;
  /** What we are waiting for, e.g. "postgres to accept connections on 127.0.0.1:5432". */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** When the daemon we started dies, stop waiting at once. */
  pid?: number;
  /** Its log file: the error quotes the last lines. */
  logFile?: string;
  signal?: AbortSignal;
}

/**
 * Polls `check` until it returns a value other than undefined/false. A check that throws
 * counts as "not yet"; its last error goes into the timeout message.
 */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | false>,
  opts: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = '';
  for (;;) {
    if (opts.signal?.aborted)
      throw new InfraError(opts.component, `interrupted while waiting for ${opts.what}`);
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = errorMessage(err);
    }
    if (opts.pid !== undefined && !isAlive(opts.pid)) {
      throw new InfraError(
        opts.component,
        `the process (pid ${opts.pid}) exited before ${opts.what}${logExcerpt(opts.logFile)}`,
        opts.logFile ? `read ${opts.logFile}` : undefined,
      );
    }
    if (Date.now() >= deadline) {
      throw new InfraError(
        opts.component,
        `timed out after ${opts.timeoutMs / 1000} s waiting for ${opts.what}` +
          (lastError ? ` (last error: ${lastError})` : '') +
          logExcerpt(opts.logFile),
        opts.logFile
          ? `read ${opts.logFile}; on a slow machine raise SURGE_INFRA_TIMEOUT_MS`
          : 'on a slow machine raise SURGE_INFRA_TIMEOUT_MS',
      );
    }
    await sleep(opts.intervalMs ?? 250);
  }
}

/** Waits until host:port accepts connections (fails early if `opts.pid` dies). */
export function waitForPort(host: string, port: number, opts: Omit<WaitOptions, 'what'>): Promise<true> {
  return waitUntil(() => isPortOpen(host, port), { ...opts, what: `${host}:${port} to accept connections` });
}

function logExcerpt(file: string | undefined): string {
  if (!file) return '';
  // Only this start's lines: spawnDaemon writes a "----- <time> starting: ..." line first.
  const lines = tailFile(file, 200).split('\n');
  const sep = lines.findLastIndex((l) => l.startsWith('----- '));
  const tail = lines
    .slice(sep + 1)
    .slice(-15)
    .join('\n');
  return tail ? `\n--- last lines of ${file} ---\n${tail}\n---` : '';
}

/**
 * Best effort "who listens on this port" for error messages, from `ss` (iproute2).
 * Returns e.g. `"postgres",pid=812` or null when unknown.
 */
export function portOwner(port: number): string | null {
  const res = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  if (res.status !== 0 || !res.stdout.trim()) return null;
  const users = /users:\(\((.*?)\)\)/.exec(res.stdout);
  return users?.[1] ?? 'an unknown process';
}

export function describePortOwner(port: number): string {
  const owner = portOwner(port);
  return owner ? ` (listening: ${owner})` : '';
}
