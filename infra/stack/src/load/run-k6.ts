import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Where one k6 run writes: its end-of-test summary and every metric point (gzipped JSON lines). */
export interface K6Files {
  dir: string;
  summary: string;
  points: string;
}

export interface K6Run {
  files: K6Files;
  /** Resolves when the script's setup is done and traffic starts (its LOAD_TRAFFIC_STARTED log line). */
  trafficStarted: Promise<void>;
  /** Resolves with k6's exit code: 0 passed, 99 a threshold failed, others an error. */
  exited: Promise<number>;
  /** Stops the run as Ctrl-C does: k6 finishes in-flight iterations and still writes its summary. */
  interrupt(): void;
}

export interface K6Options {
  k6: string;
  /** The script under load-tests/. */
  script: string;
  resultsDir: string;
  env: Record<string, string>;
  log: (line: string) => void;
  /** Echo k6's progress lines (off for the many short runs of the scaling search). */
  quiet?: boolean;
}

/** Statistics the summary keeps for every trend: the report needs p99 besides k6's defaults. */
const TREND_STATS = 'avg,min,med,max,p(90),p(95),p(99),count';

const PROGRESS = /^(running \(|\s*\S+\s+(\[|✓ \[|↓ \[))/;

/** Starts `k6 run` on a script with the run's parameters in its environment. */
export function startK6(options: K6Options): K6Run {
  fs.mkdirSync(options.resultsDir, { recursive: true });
  const files: K6Files = {
    dir: options.resultsDir,
    summary: path.join(options.resultsDir, 'summary.json'),
    points: path.join(options.resultsDir, 'points.json.gz'),
  };
  const args = [
    'run',
    '--no-color',
    '--summary-trend-stats',
    TREND_STATS,
    '--summary-export',
    files.summary,
    '--out',
    `json=${files.points}`,
    ...(options.quiet ? ['--quiet'] : []),
    options.script,
  ];
  const child = spawn(options.k6, args, {
    cwd: path.dirname(options.script),
    // k6 reads LOAD_* and the admin's credentials through __ENV; nothing else from ours.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let markStarted: () => void = () => undefined;
  const trafficStarted = new Promise<void>((resolve) => (markStarted = resolve));
  // k6 prints a progress line per second when not on a terminal: keep one in ten.
  let lastProgress = 0;
  const echo = (chunk: Buffer) => {
    const text = chunk.toString();
    if (text.includes('LOAD_TRAFFIC_STARTED')) markStarted();
    if (options.quiet) return;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      if (PROGRESS.test(line)) {
        if (Date.now() - lastProgress < 10_000) continue;
        lastProgress = Date.now();
      }
      options.log(`[k6] ${line.trimEnd()}`);
    }
  };
  child.stdout.on('data', echo);
  child.stderr.on('data', echo);
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  return { files, trafficStarted, exited, interrupt: () => child.kill('SIGINT') };
}

/** What k6's exit code means, for the log and the report. */
export function describeExit(code: number): string {
  if (code === 0) return 'passed (every threshold met)';
  if (code === 99) return 'failed: a threshold was crossed';
  if (code === 105) return 'interrupted, as planned';
  return `k6 failed (exit ${code})`;
}
