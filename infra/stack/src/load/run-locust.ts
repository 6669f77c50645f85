import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where one Locust run writes: every request as JSON lines, Locust's CSV statistics and HTML report. */
export interface LocustFiles {
  dir: string;
  /** JSON lines from load-tests/lib/recorder.py: requests, visits, dropped visits. */
  points: string;
  /** Prefix of Locust's --csv files (`_stats.csv`, `_stats_history.csv`, `_failures.csv`). */
  csvPrefix: string;
  html: string;
}

export interface LocustRun {
  files: LocustFiles;
  /** Resolves when the pool is ready and arrivals start (the locustfile prints LOAD_TRAFFIC_STARTED). */
  trafficStarted: Promise<void>;
  /** Resolves with the master's (or the only process's) exit code. */
  exited: Promise<number>;
  /** Stops the run as Ctrl-C does: Locust stops its users and still judges and writes everything. */
  interrupt(): void;
}

export interface LocustOptions {
  locust: string;
  /** The locustfile under load-tests/. */
  script: string;
  resultsDir: string;
  gateway: string;
  env: Record<string, string>;
  log: (line: string) => void;
  /** Echo Locust's log lines (off for the many short runs of the scaling search). */
  quiet?: boolean;
  /** 0 (the default): one process. N: one --master and N --worker processes on this machine. */
  workers?: number;
  /** The CPU the generator is pinned to (taskset), or undefined for none. */
  cpu?: number | undefined;
}

/**
 * The CPU to pin the generator to: LOAD_GENERATOR_CPU (a number, or `none`), else the last
 * one. A Locust process uses one core at most (one Python thread runs the gevent loop), so
 * pinning costs it nothing and keeps it from hopping between the stack's cores.
 */
export function generatorCpu(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.LOAD_GENERATOR_CPU;
  if (raw === 'none' || !fs.existsSync('/usr/bin/taskset')) return undefined;
  if (raw !== undefined && raw !== '') {
    const cpu = Number(raw);
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= os.cpus().length)
      throw new Error(`LOAD_GENERATOR_CPU=${raw} is not a CPU of this machine (0..${os.cpus().length - 1})`);
    return cpu;
  }
  return os.cpus().length - 1;
}

/** One Locust process, pinned when asked, with the run's parameters in its environment. */
function spawnLocust(options: LocustOptions, args: string[], cpu: number | undefined): ChildProcess {
  const command = cpu === undefined ? options.locust : 'taskset';
  const all = cpu === undefined ? args : ['-c', String(cpu), options.locust, ...args];
  return spawn(command, all, {
    cwd: path.dirname(options.script),
    // Locust reads LOAD_*, ADMIN_* and where to write its points; nothing else of ours.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PYTHONUNBUFFERED: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts `locust --headless` on a locustfile (a master and workers when asked). */
export function startLocust(options: LocustOptions): LocustRun {
  fs.mkdirSync(options.resultsDir, { recursive: true });
  const files: LocustFiles = {
    dir: options.resultsDir,
    points: path.join(options.resultsDir, 'points.jsonl'),
    csvPrefix: path.join(options.resultsDir, 'locust'),
    html: path.join(options.resultsDir, 'report.html'),
  };
  fs.rmSync(files.points, { force: true });
  const workers = options.workers ?? 0;
  const common = ['-f', path.basename(options.script), '--host', options.gateway, '--loglevel', 'INFO'];
  const mainArgs = [
    ...common,
    '--headless',
    '--only-summary',
    '--csv',
    files.csvPrefix,
    '--csv-full-history',
    '--html',
    files.html,
    ...(workers > 0
      ? ['--master', '--master-bind-host', '127.0.0.1', '--expect-workers', String(workers)]
      : []),
  ];
  const mainEnv = { ...options.env, LOAD_POINTS_FILE: files.points };
  const main = spawnLocust({ ...options, env: mainEnv }, mainArgs, workers > 0 ? undefined : options.cpu);
  // Workers connect to the master on its default port (5557), each on a CPU of its own
  // where the machine has one to give.
  const cpus = os.cpus().length;
  const workerProcesses = Array.from({ length: workers }, (_, index) =>
    spawnLocust(
      options,
      [...common, '--worker', '--master-host', '127.0.0.1'],
      options.cpu === undefined ? undefined : (options.cpu - index + cpus * workers) % cpus,
    ),
  );
  let markStarted: () => void = () => undefined;
  const trafficStarted = new Promise<void>((resolve) => (markStarted = resolve));
  const echo = (tag: string) => (chunk: Buffer) => {
    const text = chunk.toString();
    if (text.includes('LOAD_TRAFFIC_STARTED')) markStarted();
    if (options.quiet) return;
    for (const line of text.split('\n'))
      if (line.trim() && !line.includes('LOAD_TRAFFIC_STARTED')) options.log(`[${tag}] ${line.trimEnd()}`);
  };
  main.stdout?.on('data', echo('locust'));
  main.stderr?.on('data', echo('locust'));
  workerProcesses.forEach((worker, index) => {
    worker.stdout?.on('data', echo(`locust worker ${index + 1}`));
    worker.stderr?.on('data', echo(`locust worker ${index + 1}`));
  });
  const exitOf = (child: ChildProcess) =>
    new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  const exited = Promise.all([exitOf(main), ...workerProcesses.map(exitOf)]).then(([code]) => code!);
  return {
    files,
    trafficStarted,
    exited,
    interrupt: () => {
      // The master first: it stops the workers, collects their last points and judges.
      main.kill('SIGINT');
      const timer = setTimeout(() => workerProcesses.forEach((worker) => worker.kill('SIGTERM')), 30_000);
      void exited.finally(() => clearTimeout(timer));
    },
  };
}

/** What Locust's exit code means here (load-tests/lib/verdict.py), for the log and the report. */
export function describeExit(code: number): string {
  if (code === 0) return 'passed (every objective met)';
  if (code === 3) return 'failed: an SLO or the dropped-visits limit was missed';
  if (code === 4) return 'failed: the shop could not be prepared (is the stack up?)';
  return `Locust failed (exit ${code})`;
}

/** How the generator ran, for the log and the report's machine line. */
export function describeGenerator(version: string, workers: number, cpu: number | undefined): string {
  const shape = workers > 0 ? `a master and ${workers} worker processes` : 'one process';
  const pinned =
    cpu === undefined
      ? 'not pinned'
      : workers > 0
        ? `workers pinned from CPU ${cpu} down`
        : `pinned to CPU ${cpu}`;
  return `Locust ${version} (${shape}, ${pinned})`;
}
