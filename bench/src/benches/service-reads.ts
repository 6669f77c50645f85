import fs from 'node:fs';
import path from 'node:path';
import { toPublicJwk } from '@surge/auth';
import { createTestKeyPair } from '@surge/testing';
import {
  findRepoRoot,
  ensurePostgres,
  stopPostgres,
  provisionDatabase,
  ensureRedis,
  stopRedis,
  redisServiceUrl,
} from '@surge/stack/native';
import { summarizeProfile, type ProfileWindow } from '../lib/cpu-profile';
import { cpuSecondsOfTree } from '../lib/cpu-time';
import { spawnPinned, waitForHttp, type Started } from '../lib/processes';
import { fmt, table, type BenchReport } from '../lib/report';
import type { BenchSettings } from '../lib/settings';
import { ensureTools } from '../lib/tools';
import { freePort, makeWorkDir } from '../lib/workdir';
import { runWrk, type WrkResult } from '../lib/wrk';

/** The goal for a cached catalog read, in the product service alone. */
const GOAL_US = 120;

/**
 * What `k8s/base` runs (LOG_LEVEL=info; NODE_ENV=production, which samples one trace in
 * ten) and what `npm start` runs (every trace). NODE_ENV itself stays `development`:
 * production refuses the development database password this benchmark provisions with,
 * and sampling and log level are all that NODE_ENV changes on this path.
 */
const SETTINGS: Array<[string, NodeJS.ProcessEnv]> = [
  ['production (k8s/base: 10% of traces, info log)', { OTEL_TRACES_SAMPLER_ARG: '0.1', LOG_LEVEL: 'info' }],
  ['development (npm start: every trace, info log)', { OTEL_TRACES_SAMPLER_ARG: '1', LOG_LEVEL: 'info' }],
];

interface Route {
  label: string;
  path: string;
}

interface Measured extends WrkResult {
  /** CPU time of the service per request, median of BENCH_REPEATS runs, in microseconds. */
  cpuUsPerRequest: number;
  runs: number[];
}

interface Row {
  route: string;
  settings: string;
  result: Measured;
}

/**
 * Cached reads of a service alone, pinned to one core, as CPU time per request: the
 * product service's `GET /api/products/{id}` and a list page, both answered from its
 * Redis cache, under the settings of production and of development. The service runs as
 * the stack runs it (telemetry register, access log, traces exported to a sink that
 * drops them); it verifies tokens against the JWKS of the same sink.
 */
export async function serviceReads(settings: BenchSettings): Promise<BenchReport> {
  const tools = await ensureTools(['wrk', 'taskset']);
  const root = findRepoRoot();
  const dir = makeWorkDir('service-reads');
  const [postgres, redis] = await Promise.all([ensurePostgres({}), ensureRedis({})]);
  const running: Started[] = [];
  try {
    const databaseUrl = await provisionDatabase(postgres.adminUrl, 'surge_bench_product');
    const keys = createTestKeyPair();
    const sinkPort = await freePort();
    running.push(await startSink(root, dir, sinkPort, settings.clientCpu, keys));
    const sink = `http://127.0.0.1:${sinkPort}`;
    const rows: Row[] = [];
    let profile: { summary: ReturnType<typeof summarizeProfile>; file: string } | undefined;
    for (const [index, [label, overrides]] of SETTINGS.entries()) {
      const port = await freePort();
      const profileDir = path.join(dir, `profile-${index}`);
      // The production run is also profiled: the profile covers the measured windows only.
      const flags = index === 0 ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
      const product = await startProduct(root, dir, port, settings.serverCpu, flags, {
        ...process.env,
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(port),
        ADMIN_PORT: String(await freePort()),
        DATABASE_URL: databaseUrl,
        // As the stack runs it: the product service's own Redis user, whose keys must start
        // with `product:` (its ACL allows nothing else).
        REDIS_URL: redisServiceUrl(redis.url, 'product'),
        REDIS_KEY_PREFIX: `product:bench-${path.basename(dir)}-${index}:`,
        KAFKA_BROKERS: '',
        OUTBOX_RELAY: 'false',
        USER_SERVICE_URL: sink,
        SEED_CATALOG: 'true',
        SEED_CATALOG_SIZE: '1000',
        OTEL_SERVICE_NAME: 'product',
        OTEL_EXPORTER_OTLP_ENDPOINT: sink,
        ...overrides,
      });
      running.push(product);
      const base = `http://127.0.0.1:${port}`;
      const routes = await productRoutes(base);
      const window: ProfileWindow = { fromUs: nowUs(), toUs: 0 };
      for (const route of routes) {
        rows.push({
          route: route.label,
          settings: label,
          result: await measure(tools.wrk, settings, `${base}${route.path}`, product.pid, route.label),
        });
      }
      window.toUs = nowUs();
      await product.stop();
      if (index === 0) {
        const file = fs.readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
        if (!file) throw new Error(`the product service wrote no CPU profile into ${profileDir}`);
        profile = {
          summary: summarizeProfile(path.join(profileDir, file), 20, window),
          file: path.join(profileDir, file),
        };
      }
    }
    return buildReport(settings, rows, profile);
  } finally {
    for (const p of running.reverse()) await p.stop();
    if (redis.startedByUs) await stopRedis(redis);
    if (postgres.startedByUs) await stopPostgres(postgres);
  }
}

function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** The JWKS and an OTLP sink that drops traces: bench/fixtures/product-upstream.cjs. */
async function startSink(
  root: string,
  dir: string,
  port: number,
  cpu: string,
  keys: ReturnType<typeof createTestKeyPair>,
): Promise<Started> {
  const log = path.join(dir, 'sink.log');
  const jwks = JSON.stringify({ keys: [toPublicJwk(keys.publicKey, keys.kid)] });
  const started = spawnPinned(process.execPath, [path.join(root, 'bench/fixtures/product-upstream.cjs')], {
    cpu,
    env: { ...process.env, PORT: String(port), BENCH_JWKS: jwks },
    logFile: log,
  });
  await waitForHttp(`http://127.0.0.1:${port}/health/ready`, started, log);
  return started;
}

async function startProduct(
  root: string,
  dir: string,
  port: number,
  cpu: string,
  nodeFlags: string[],
  env: NodeJS.ProcessEnv,
): Promise<Started> {
  const log = path.join(dir, `product-${port}.log`);
  const register = path.join(root, 'packages/telemetry/dist/register.js');
  const started = spawnPinned(
    process.execPath,
    [...nodeFlags, '--enable-source-maps', '--require', register, 'dist/main.js'],
    { cpu, cwd: path.join(root, 'services/product'), env, logFile: log },
  );
  // Seeding a thousand products comes first on a cold database.
  await waitForHttp(`http://127.0.0.1:${port}/health/ready`, started, log, 120_000);
  return started;
}

/** A product id and a list page of the seeded catalog; both are read once so the cache is warm. */
async function productRoutes(base: string): Promise<Route[]> {
  const list = '/api/products?limit=20';
  const page = (await (await fetch(`${base}${list}`)).json()) as { items?: Array<{ id: string }> };
  const id = page.items?.[0]?.id;
  if (!id) throw new Error(`the product service listed no products: ${JSON.stringify(page).slice(0, 300)}`);
  return [
    { label: 'GET /api/products/{id}', path: `/api/products/${id}` },
    { label: 'GET /api/products?limit=20 (list page)', path: list },
  ];
}

async function measure(
  wrk: string,
  settings: BenchSettings,
  url: string,
  pid: number,
  label: string,
): Promise<Measured> {
  const probe = await fetch(url);
  await probe.arrayBuffer();
  if (probe.status !== 200) throw new Error(`${label} answered ${probe.status}`);
  const base = { wrk, url, connections: settings.connections, cpu: settings.clientCpu };
  if (settings.warmupSeconds > 0) await runWrk({ ...base, seconds: settings.warmupSeconds });
  const runs: Array<WrkResult & { cpuUs: number }> = [];
  for (let i = 0; i < settings.repeats; i++) {
    const before = cpuSecondsOfTree(pid);
    const result = await runWrk({ ...base, seconds: settings.seconds });
    runs.push({ ...result, cpuUs: ((cpuSecondsOfTree(pid) - before) * 1e6) / Math.max(1, result.requests) });
  }
  const sorted = [...runs].sort((a, b) => a.cpuUs - b.cpuUs);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  process.stdout.write(
    `[bench] product ${label}: ${fmt(median.cpuUs)} µs CPU/request (runs ${runs.map((r) => fmt(r.cpuUs)).join(', ')})\n`,
  );
  return { ...median, cpuUsPerRequest: median.cpuUs, runs: runs.map((r) => r.cpuUs) };
}

function buildReport(
  settings: BenchSettings,
  rows: Row[],
  profile: { summary: ReturnType<typeof summarizeProfile>; file: string } | undefined,
): BenchReport {
  const production = rows.filter((row) => row.settings === SETTINGS[0]![0]);
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  return {
    name: 'service-reads',
    title: 'Service reads: CPU per cached catalog read in the product service',
    summary:
      `The product service alone on CPU ${settings.serverCpu} (telemetry register, access log, traces exported to a ` +
      `sink that drops them), its catalog seeded and its Redis cache warm; wrk on CPU ${settings.clientCpu} reads one ` +
      `product by id and one list page. Each figure is the median of ${settings.repeats} runs of CPU time (user + system, ` +
      `from /proc) per request: on a shared machine it is distorted far less than a throughput.`,
    goals: production.map((row) => ({
      statement: `${row.route}, production settings: CPU per request`,
      measured: row.result.cpuUsPerRequest,
      target: GOAL_US,
      better: 'lower' as const,
      unit: 'µs',
    })),
    sections: [
      {
        heading: 'CPU per request',
        markdown: table([
          ['route', 'settings', 'CPU µs/request (median)', 'runs', 'requests/s', 'p99 ms', 'errors'],
          ...rows.map((row) => [
            row.route,
            row.settings,
            row.result.cpuUsPerRequest,
            row.result.runs.map((us) => fmt(us)).join(', '),
            row.result.requestsPerSecond,
            row.result.p99Ms,
            row.result.non2xx + row.result.socketErrors,
          ]),
        ]),
      },
      ...(profile
        ? [
            {
              heading: 'Where the product service spends its CPU (production settings)',
              markdown: [
                `\`node --cpu-prof\` over the measured runs only (${fmt(profile.summary.totalMs)} ms sampled). Self time.`,
                '',
                table([
                  ['module', 'self time'],
                  ...profile.summary.modules.map((m) => [m.name, pct(m.share)]),
                ]),
                '',
                table([
                  ['function', 'self time'],
                  ...profile.summary.functions.map((f) => [`\`${f.name}\``, pct(f.share)]),
                ]),
                '',
                `Profile file of this run: \`${profile.file}\`.`,
              ].join('\n'),
            },
          ]
        : []),
    ],
    data: { rows, profile: profile?.summary },
    settings,
  };
}
