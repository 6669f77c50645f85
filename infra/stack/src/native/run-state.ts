import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { InfraError, type Log } from './log';
import { type Component, type SurgePaths, runFile } from './paths';
import { commandLine, isAlive, processCwd, sleep } from './process';

/**
 * `.surge/run/<component>.json`: written only by the process that started a server. It
 * is what lets a second `npm test` reuse the server an `npm start` in another terminal
 * started (without stopping it afterwards), and lets `down` clean up after a crash.
 */
export interface RunRecord {
  component: Component;
  pid: number;
  host: string;
  port: number;
  /** Every port the server listens on (Kafka has a controller port too). */
  ports: number[];
  startedAt: string;
  startedBy: { pid: number; command: string; user: string };
  logFile: string;
  /** A string found in the daemon's command line: proves a live pid is still our server. */
  marker: string;
}

export function readRunRecord(paths: SurgePaths, component: Component): RunRecord | null {
  try {
    return JSON.parse(fs.readFileSync(runFile(paths, component), 'utf8')) as RunRecord;
  } catch {
    return null;
  }
}

export function writeRunRecord(paths: SurgePaths, record: RunRecord): void {
  const file = runFile(paths, record.component);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so a reader never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

export function removeRunRecord(paths: SurgePaths, component: Component): void {
  fs.rmSync(runFile(paths, component), { force: true });
}

/**
 * Alive, and still our server: pids get reused (after a reboot, in containers), so the
 * process must name our data dir/config in its command line or run inside our directory.
 * (The cwd check matters for servers that rewrite their process title.)
 */
export function isOurLiveServer(record: RunRecord): boolean {
  return isOurProcess(record.pid, record.marker);
}

export function isOurProcess(pid: number, marker: string): boolean {
  if (!isAlive(pid)) return false;
  const cmd = commandLine(pid);
  if (cmd === null || cmd.includes(marker)) return true;
  const cwd = processCwd(pid);
  return cwd !== null && (cwd + path.sep).startsWith(path.dirname(marker) + path.sep);
}

export function whoAmI(): RunRecord['startedBy'] {
  const script = process.argv.slice(1).map((a) => path.basename(a));
  return {
    pid: process.pid,
    command: [path.basename(process.argv0), ...script].join(' ').slice(0, 200),
    user: os.userInfo().username,
  };
}

/**
 * Serialises "check, then start" per component across processes (e.g. `npm start` and
 * `npm test` launched at the same moment), with an O_EXCL lock file holding our pid.
 * A lock left by a dead process is taken over.
 */
export async function withLock<T>(
  paths: SurgePaths,
  component: Component,
  log: Log,
  fn: () => Promise<T>,
  timeoutMs = 15 * 60_000,
): Promise<T> {
  const file = path.join(paths.runDir, `${component}.lock`);
  fs.mkdirSync(paths.runDir, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(fs.readFileSync(file, 'utf8').trim() || '0');
    if (!holder || !isAlive(holder)) {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (!told) log(`waiting for process ${holder}, which is starting ${component} too`);
    told = true;
    if (Date.now() > deadline) {
      throw new InfraError(
        component,
        `process ${holder} has held ${file} for too long`,
        `stop it, or delete ${file}`,
      );
    }
    await sleep(300);
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(file, { force: true });
  }
}
