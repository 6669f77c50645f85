import fs from 'node:fs';
import path from 'node:path';
import { ensureLocust, consoleLog, findRepoRoot } from '@surge/stack/native';
import { cpuSecondsOfTree } from '../lib/cpu-time';
import { sleep, spawnPinned, waitForHttp, type Started } from '../lib/processes';
import { fmt, table, type BenchReport } from '../lib/report';
import type { BenchSettings } from '../lib/settings';
import { ensureTools } from '../lib/tools';
import { freePort, makeWorkDir } from '../lib/workdir';
import { parseWrk } from '../lib/wrk';

/** The rate the issue measured Locust at, and the floor one generator process must reach. */
const FIXED_RATE = 1000;

interface Measured {
  generator: string;
  asked: string;
  requestsPerSecond: number;
  /** Share of one core the generator used over the measured window. */
  cpuShare: number;
  cpuMicrosPerRequest: number;
}

/**
 * What the load generator itself costs: CPU µs per request of Locust (FastHttpUser, as
 * the scenarios use it; bare, and with Surge's request recorder) against wrk on the same
 * endpoint (nginx answering a fixed 200, pinned to its own core), at 1,000 requests/s and
 * flat out; and so the highest request rate one Locust process can drive here. CPU is
 * read from /proc over a window after a warm-up, so start-up costs are left out.
 */
export async function generatorCost(settings: BenchSettings): Promise<BenchReport> {
  const tools = await ensureTools(['nginx', 'wrk', 'taskset']);
  const locust = await ensureLocust(consoleLog);
  const dir = makeWorkDir('generator');
  const port = await freePort();
  const nginx = await startNginx(tools.nginx, dir, port, settings.serverCpu);
  const url = `http://127.0.0.1:${port}`;
  const results: Measured[] = [];
  try {
    results.push(await measureWrk(tools.wrk, url, dir, settings));
    for (const recorder of [false, true])
      for (const rate of [FIXED_RATE, 0])
        results.push(await measureLocust(locust.locust, url, dir, settings, rate, recorder));
  } finally {
    await nginx.stop();
  }
  return buildReport(settings, results, locust.version);
}

async function startNginx(nginx: string, dir: string, port: number, cpu: string): Promise<Started> {
  fs.mkdirSync(path.join(dir, 'nginx-temp'), { recursive: true, mode: 0o777 });
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/nginx-temp;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:${port}; location / { return 200 "ok\\n"; } }
}
`,
  );
  const log = path.join(dir, 'nginx.log');
  const started = spawnPinned(nginx, ['-c', conf], { cpu, logFile: log });
  await waitForHttp(`http://127.0.0.1:${port}/`, started, log);
  return started;
}

/** CPU seconds of a process tree over `seconds`, after `warmup` seconds. */
async function cpuOverWindow(pid: number, settings: BenchSettings) {
  await sleep(settings.warmupSeconds * 1000);
  const cpu0 = cpuSecondsOfTree(pid);
  const t0 = Date.now();
  await sleep(settings.seconds * 1000);
  return { cpu: cpuSecondsOfTree(pid) - cpu0, from: t0 / 1000, to: Date.now() / 1000 };
}

async function measureWrk(wrk: string, url: string, dir: string, settings: BenchSettings) {
  const log = path.join(dir, 'wrk.log');
  const total = settings.warmupSeconds + settings.seconds + 2;
  const run = spawnPinned(wrk, ['-t1', `-c${settings.connections}`, `-d${total}s`, url], {
    cpu: settings.clientCpu,
    logFile: log,
  });
  const window = await cpuOverWindow(run.pid, settings);
  await new Promise((resolve) => run.child.once('exit', resolve));
  const rps = parseWrk(fs.readFileSync(log, 'utf8')).requestsPerSecond;
  const seconds = window.to - window.from;
  return {
    generator: `wrk (1 thread, ${settings.connections} connections)`,
    asked: 'flat out',
    requestsPerSecond: rps,
    cpuShare: window.cpu / seconds,
    cpuMicrosPerRequest: (window.cpu / (rps * seconds)) * 1e6,
  };
}

async function measureLocust(
  locust: string,
  url: string,
  dir: string,
  settings: BenchSettings,
  rate: number,
  recorder: boolean,
): Promise<Measured> {
  const name = `locust-${rate || 'max'}${recorder ? '-recorder' : ''}`;
  const prefix = path.join(dir, name);
  const users = settings.connections;
  const total = settings.warmupSeconds + settings.seconds + 3;
  const run = spawnPinned(
    locust,
    [
      '-f',
      'generator-cost.py',
      '--headless',
      '--only-summary',
      '-u',
      String(users),
      '-r',
      String(users),
      '-t',
      `${total}s`,
      '--host',
      url,
      '--csv',
      prefix,
      '--csv-full-history',
    ],
    {
      cpu: settings.clientCpu,
      cwd: path.join(findRepoRoot(), 'load-tests'),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        BENCH_RATE: String(rate),
        BENCH_USERS: String(users),
        ...(recorder ? { BENCH_RECORDER: '1', LOAD_POINTS_FILE: `${prefix}.jsonl` } : {}),
      },
      logFile: `${prefix}.log`,
    },
  );
  const window = await cpuOverWindow(run.pid, settings);
  await new Promise((resolve) => run.child.once('exit', resolve));
  const requests = requestsBetween(`${prefix}_stats_history.csv`, window.from, window.to);
  const seconds = window.to - window.from;
  return {
    generator: `Locust FastHttpUser${recorder ? ' + Surge recorder' : ''} (${users} users)`,
    asked: rate ? `${fmt(rate)} requests/s` : 'flat out',
    requestsPerSecond: requests / seconds,
    cpuShare: window.cpu / seconds,
    cpuMicrosPerRequest: (window.cpu / requests) * 1e6,
  };
}

/** Requests Locust completed between two instants, from its per-second history (cumulative counts). */
export function requestsBetween(historyCsv: string, from: number, to: number): number {
  const [header, ...rows] = fs.readFileSync(historyCsv, 'utf8').trim().split('\n');
  const columns = header!.split(',').map((cell) => cell.replace(/"/g, ''));
  const at = columns.indexOf('Timestamp');
  const name = columns.indexOf('Name');
  const count = columns.indexOf('Total Request Count');
  const points = rows
    .map((row) => row.split(',').map((cell) => cell.replace(/"/g, '')))
    .filter((cells) => cells[name] === 'Aggregated')
    .map((cells) => ({ t: Number(cells[at]), n: Number(cells[count]) }));
  const countAt = (t: number) => {
    const before = points.filter((p) => p.t <= t).at(-1) ?? points[0];
    const after = points.find((p) => p.t >= t) ?? points.at(-1);
    if (!before || !after || after.t === before.t) return before?.n ?? 0;
    return before.n + ((after.n - before.n) * (t - before.t)) / (after.t - before.t);
  };
  return countAt(to) - countAt(from);
}

function buildReport(settings: BenchSettings, results: Measured[], version: string): BenchReport {
  const wrk = results[0]!;
  const recorded = results.filter((r) => r.generator.includes('recorder'));
  const flatOut = recorded.find((r) => r.asked === 'flat out');
  const atRate = recorded.find((r) => r.asked !== 'flat out');
  return {
    name: 'generator-cost',
    title: `The load generator's own cost: Locust ${version} against wrk`,
    summary: `The same endpoint (nginx answering a fixed 200 on CPU ${settings.serverCpu}) driven by wrk and by one Locust process (FastHttpUser, as the load scenarios use it), each pinned to CPU ${settings.clientCpu}: CPU µs per request of the generator, at ${fmt(FIXED_RATE)} requests/s and flat out, bare and with Surge's request recorder (one JSON line per request, which every scenario writes). Flat out, a Locust process is bound by its one core (Python runs one thread): that rate is the most one generator process can drive here. The machine is shared with other engineers' work today: the figures are noisy, the ratios hold better than the rates.`,
    goals: flatOut
      ? [
          {
            statement: 'one Locust process (with the recorder) drives at least 1,000 requests/s',
            measured: flatOut.requestsPerSecond,
            target: FIXED_RATE,
            better: 'higher',
            unit: 'requests/s',
          },
        ]
      : [],
    sections: [
      {
        heading: 'CPU per request',
        markdown: table([
          ['generator', 'rate asked', 'requests/s', 'CPU (share of one core)', 'CPU µs per request', 'x wrk'],
          ...results.map((r) => [
            r.generator,
            r.asked,
            r.requestsPerSecond,
            `${(r.cpuShare * 100).toFixed(0)}%`,
            r.cpuMicrosPerRequest,
            (r.cpuMicrosPerRequest / wrk.cpuMicrosPerRequest).toFixed(1),
          ]),
        ]),
      },
      {
        heading: 'What it means for the load figures',
        markdown: atRate
          ? `At ${fmt(FIXED_RATE)} requests/s the generator takes ${(atRate.cpuShare * 100).toFixed(0)}% of a core; the highest scaling rate of record (about 500 requests/s) costs it about ${((atRate.cpuMicrosPerRequest * 500) / 1e4).toFixed(0)}% of a core, CPU the stack does not get on a 2-core machine. Beyond ${fmt(flatOut?.requestsPerSecond ?? 0)} requests/s one process cannot keep the rate: run workers (docs/load-testing.md, "Beyond one machine").`
          : '',
      },
    ],
    data: { results, locustVersion: version },
    settings,
  };
}
