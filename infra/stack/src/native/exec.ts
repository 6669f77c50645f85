import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import type { Log } from './log';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Output is appended here rather than shown, so progress lines stay readable. */
  logFile: string;
  /** While it runs, say "still <heartbeat> (30 s)" every 15 s so a long install never looks hung. */
  heartbeat?: { log: Log; what: string };
}

export interface RunResult {
  code: number;
  /** Combined stdout+stderr of this run (also in the log file). */
  output: string;
}

/** Runs a one-off command to completion (initdb, mvn, apt-get). Never rejects on exit code. */
export async function runCommand(command: string, args: string[], opts: RunOptions): Promise<RunResult> {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const out = fs.createWriteStream(opts.logFile, { flags: 'a' });
  out.write(`\n----- ${new Date().toISOString()} $ ${command} ${args.join(' ')}\n`);
  const chunks: Buffer[] = [];
  const started = Date.now();
  const timer = opts.heartbeat
    ? setInterval(() => {
        const { log, what } = opts.heartbeat!;
        log(`still ${what} (${Math.round((Date.now() - started) / 1000)} s)`);
      }, 15_000)
    : undefined;
  try {
    const code = await new Promise<number>((resolve) => {
      const child = spawn(command, args, {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const onData = (chunk: Buffer): void => {
        chunks.push(chunk);
        out.write(chunk);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', (err) => {
        onData(Buffer.from(`${err.message}\n`));
        resolve(127);
      });
      child.once('close', (status) => resolve(status ?? 1));
    });
    return { code, output: Buffer.concat(chunks).toString('utf8') };
  } finally {
    if (timer) clearInterval(timer);
    await new Promise<void>((resolve) => out.end(resolve));
  }
}

/** The absolute path of an executable on PATH, or null. */
export function which(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** First line of `<bin> --version`, or null when it does not run. */
export function versionOf(bin: string, flag = '--version'): string | null {
  const res = spawnSync(bin, [flag], { encoding: 'utf8', timeout: 20_000 });
  if (res.status !== 0) return null;
  return `${res.stdout}${res.stderr}`.trim().split('\n')[0] ?? null;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
