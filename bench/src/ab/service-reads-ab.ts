/**
 * Cached product reads A/B on a busy, shared machine: the product service of two (or
 * more) builds of Surge (checkouts of the repository, each built), started side by side
 * as `service-reads` starts it (telemetry register, access log, traces to a sink that
 * drops them), pinned to the same core, measured in turns, round after round, the order
 * swapped every round. The figure is the service's CPU (user + system from /proc) per
 * request answered, which a busy machine blurs far less than a throughput; read the two
 * builds within a round, never across rounds.
 *
 * Usage: npm run bench -- service-reads-ab --build before=/path/a --build after=/path/b
 *        [--rounds 6] [--seconds 5] [--ratio 0.1] [--callers direct|gateway]
 *        [--profile dir]
 * `--callers gateway` sends what the gateway sends: a `traceparent` on every request,
 * sampled in `--ratio` of them; `direct` (the default, as `service-reads`) sends none.
 * Ports are picked free; no figure of record is written (docs/results is untouched).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { toPublicJwk } from '@surge/auth';
import { createTestKeyPair } from '@surge/testing';
import {
  ensurePostgres,
  ensureRedis,
  findRepoRoot,
  provisionDatabase,
  stopPostgres,
  stopRedis,
} from '@surge/stack/native';
import { summarizeProfile } from '../lib/cpu-profile';
import { cpuSecondsOfTree } from '../lib/cpu-time';
import { spawnPinned, waitForHttp, type Started } from '../lib/processes';
import { productBenchEnv } from '../lib/product-bench-env';
import { fmt } from '../lib/report';
import { ensureTools } from '../lib/tools';
import { freePort, makeWorkDir } from '../lib/workdir';
import { parseWrk } from '../lib/wrk';
import { AbArguments, AbUsageError, runAbTool, type AbBuild } from './ab-arguments';

const run = promisify(execFile);

interface Options {
  builds: AbBuild[];
  rounds: number;
  seconds: number;
  ratio: number;
  callers: 'direct' | 'gateway';
  profileDir?: string;
}

const USAGE =
  'npm run bench -- service-reads-ab --build <label>=<built repository>[:KEY=VALUE,...] --build ... ' +
  '[--rounds 6] [--seconds 5] [--ratio 0.1] [--callers direct|gateway] [--profile <dir>]';

function parseOptions(argv: string[]): Options {
  const args = AbArguments.parse(argv, ['rounds', 'seconds', 'ratio', 'callers', 'profile']);
  const profileDir = args.path('profile');
  const ratio = args.number('ratio', 0.1);
  if (ratio > 1) throw new AbUsageError(`--ratio is a share of requests, at most 1, not ${ratio}`);
  return {
    builds: args.builds(2),
    rounds: args.number('rounds', 6),
    seconds: args.number('seconds', 5),
    ratio,
    callers: args.choice('callers', ['direct', 'gateway'] as const, 'direct'),
    ...(profileDir ? { profileDir } : {}),
  };
}

/** wrk's Lua: a W3C traceparent per request, sampled in `ratio` of them, as the gateway sends. */
function gatewayScript(ratio: number): string {
  return `
local function hex(n) local t = {} for i = 1, n do t[i] = string.format("%x", math.random(0, 15)) end return table.concat(t) end
math.randomseed(os.time())
request = function()
  local flags = math.random() < ${ratio} and "01" or "00"
  wrk.headers["traceparent"] = "00-" .. hex(32) .. "-" .. hex(16) .. "-" .. flags
  return wrk.format(nil)
end
`;
}

export function serviceReadsAb(argv: string[]): Promise<void> {
  return runAbTool(USAGE, () => parseOptions(argv), runReads);
}

async function runReads(options: Options): Promise<void> {
  const tools = await ensureTools(['wrk', 'taskset']);
  const serverCpu = process.env.BENCH_SERVER_CPU ?? '0';
  const clientCpu = process.env.BENCH_CLIENT_CPU ?? '1';
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
  const dir = makeWorkDir('service-reads-ab');
  const script = path.join(dir, 'gateway-callers.lua');
  fs.writeFileSync(script, gatewayScript(options.ratio));
  const [postgres, redis] = await Promise.all([ensurePostgres({}), ensureRedis({})]);
  const databaseUrl = await provisionDatabase(postgres.adminUrl, 'surge_bench_product_ab');
  const keys = createTestKeyPair();
  const sinkPort = await freePort();
  const running: Started[] = [];
  try {
    const sinkLog = path.join(dir, 'sink.log');
    const sink = spawnPinned(
      process.execPath,
      [path.join(findRepoRoot(), 'bench/fixtures/product-upstream.cjs')],
      {
        cpu: clientCpu,
        env: {
          ...process.env,
          PORT: String(sinkPort),
          BENCH_JWKS: JSON.stringify({ keys: [toPublicJwk(keys.publicKey, keys.kid)] }),
        },
        logFile: sinkLog,
      },
    );
    running.push(sink);
    await waitForHttp(`http://127.0.0.1:${sinkPort}/health/ready`, sink, sinkLog);
    // One after the other: the first seeds the catalog, the others find it seeded.
    const services: Array<{ label: string; base: string; started: Started }> = [];
    for (const [index, build] of options.builds.entries()) {
      const port = await freePort();
      const log = path.join(dir, `product-${build.label}.log`);
      const profile = options.profileDir
        ? ['--cpu-prof', `--cpu-prof-dir=${path.join(options.profileDir, build.label)}`]
        : [];
      const started = spawnPinned(
        process.execPath,
        [
          ...profile,
          '--require',
          path.join(build.root, 'packages/telemetry/dist/register.js'),
          'dist/main.js',
        ],
        {
          cpu: serverCpu,
          cwd: path.join(build.root, 'services/product'),
          logFile: log,
          env: {
            ...productBenchEnv({
              port,
              adminPort: await freePort(),
              databaseUrl,
              redisUrl: redis.url,
              keyPrefix: `ab-${path.basename(dir)}-${index}`,
              sink: `http://127.0.0.1:${sinkPort}`,
            }),
            OTEL_TRACES_SAMPLER_ARG: String(options.ratio),
            LOG_LEVEL: 'info',
            ...build.env,
          },
        },
      );
      running.push(started);
      await waitForHttp(`http://127.0.0.1:${port}/health/ready`, started, log, 120_000);
      services.push({ label: build.label, base: `http://127.0.0.1:${port}`, started });
    }
    const page = (await (await fetch(`${services[0]!.base}/api/products?limit=20`)).json()) as {
      items?: Array<{ id: string }>;
    };
    const id = page.items?.[0]?.id;
    if (!id) throw new Error('the product service listed no products');
    const routes = [
      { label: 'GET /api/products/{id}', path: `/api/products/${id}` },
      { label: 'GET /api/products?limit=20', path: '/api/products?limit=20' },
    ];
    const wrk = async (url: string, seconds: number) => {
      const scriptArgs = options.callers === 'gateway' ? ['-s', script] : [];
      const args = ['-c', clientCpu, tools.wrk, '-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
      const { stdout } = await run('taskset', [...args, ...scriptArgs, url], { maxBuffer: 1 << 20 });
      return parseWrk(stdout);
    };
    // Warm: the cache filled, the JIT settled.
    for (const service of services) for (const route of routes) await wrk(`${service.base}${route.path}`, 2);
    const figures = new Map<string, number[]>();
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? services : [...services].reverse();
      for (const route of routes) {
        for (const service of order) {
          const before = cpuSecondsOfTree(service.started.pid);
          const result = await wrk(`${service.base}${route.path}`, options.seconds);
          // Timeouts happen when the busy machine stalls the core; the figure is per answer.
          if (result.non2xx > 0)
            throw new Error(`${service.label} ${route.label}: ${result.non2xx} non-2xx answers`);
          const us = ((cpuSecondsOfTree(service.started.pid) - before) * 1e6) / Math.max(1, result.requests);
          const key = `${route.label}\t${service.label}`;
          figures.set(key, [...(figures.get(key) ?? []), us]);
          process.stdout.write(
            `[ab] round ${round + 1} ${route.label} ${service.label}: ${fmt(us)} µs/request (${fmt(result.requestsPerSecond)} req/s, ${result.socketErrors} socket errors)\n`,
          );
        }
      }
    }
    for (const service of services) await service.started.stop();
    printSummary(options, routes, services, figures);
    if (options.profileDir) {
      for (const service of services) {
        const profileDir = path.join(options.profileDir, service.label);
        const file = fs.readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
        if (!file) continue;
        const summary = summarizeProfile(path.join(profileDir, file), 25);
        process.stdout.write(`\n${service.label} profile (${path.join(profileDir, file)}), self time:\n`);
        process.stdout.write(`${JSON.stringify(summary, null, 1)}\n`);
      }
    }
  } finally {
    for (const started of running.reverse()) await started.stop();
    // What this run started, it stops: a bench leaves the machine as it found it.
    if (redis.startedByUs) await stopRedis(redis);
    if (postgres.startedByUs) await stopPostgres(postgres);
  }
}

function printSummary(
  options: Options,
  routes: Array<{ label: string }>,
  services: Array<{ label: string }>,
  figures: Map<string, number[]>,
): void {
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  const [a, b] = services;
  process.stdout.write(
    `\n| route (${options.callers} callers, ratio ${options.ratio}) | ${a!.label} µs/request (median) | ${b!.label} µs/request (median) | median ratio | ${b!.label} lower in | runs ${a!.label} | runs ${b!.label} |\n| --- | --- | --- | --- | --- | --- | --- |\n`,
  );
  for (const route of routes) {
    const runsA = figures.get(`${route.label}\t${a!.label}`) ?? [];
    const runsB = figures.get(`${route.label}\t${b!.label}`) ?? [];
    const ratios = runsB.map((value, i) => value / (runsA[i] ?? NaN));
    const lower = ratios.filter((ratio) => ratio < 1).length;
    process.stdout.write(
      `| ${route.label} | ${fmt(median(runsA))} | ${fmt(median(runsB))} | ${median(ratios).toFixed(2)} | ${lower} of ${ratios.length} | ${runsA.map((v) => fmt(v)).join(', ')} | ${runsB.map((v) => fmt(v)).join(', ')} |\n`,
    );
  }
}
