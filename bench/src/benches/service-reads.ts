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
} from '@surge/stack/native';
import { summarizeProfile, type ProfileWindow } from '../lib/cpu-profile';
import { spawnPinned, waitForHttp, type Started } from '../lib/processes';
import { productBenchEnv } from '../lib/product-bench-env';
import { measureRead, type Measured } from '../lib/read-measure';
import { readReadsSettings, type ReadsSettings } from '../lib/reads-settings';
import { fmt, table, type BenchReport } from '../lib/report';
import { renderRouteChoices, renderServiceReadTable, type ServiceReadRow } from '../lib/service-read-table';
import type { BenchSettings } from '../lib/settings';
import { ensureTools } from '../lib/tools';
import { freePort, makeWorkDir } from '../lib/workdir';
import { measureOtherServices } from './service-reads-others';

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
 * drops them); it verifies tokens against the JWKS of the same sink. Then one read of
 * every other service, each alone on the same core in turn (service-reads-others.ts),
 * for one table of every service.
 */
export async function serviceReads(settings: BenchSettings): Promise<BenchReport> {
  const reads = readReadsSettings(process.env, settings);
  const tools = await ensureTools(['wrk', 'taskset']);
  const root = findRepoRoot();
  const dir = makeWorkDir('service-reads');
  const [postgres, redis] = await Promise.all([ensurePostgres({}), ensureRedis({})]);
  const running: Started[] = [];
  try {
    const keys = createTestKeyPair();
    const sinkPort = await freePort();
    running.push(await startSink(root, dir, sinkPort, settings.clientCpu, keys));
    const sink = `http://127.0.0.1:${sinkPort}`;
    const product = reads.services.includes('product')
      ? await measureProduct({
          root,
          dir,
          settings,
          wrk: tools.wrk,
          sink,
          adminUrl: postgres.adminUrl,
          redisUrl: redis.url,
        })
      : { rows: [], profile: undefined };
    const others = await measureOtherServices(
      {
        root,
        dir,
        settings,
        wrk: tools.wrk,
        postgresAdminUrl: postgres.adminUrl,
        redisUrl: redis.url,
        sink,
        keys,
        variants: SETTINGS,
        seconds: reads.otherSeconds,
        warmupSeconds: reads.otherWarmupSeconds,
        closedPort: await freePort(),
      },
      reads.services,
    );
    return buildReport(settings, reads, product.rows, product.profile, others);
  } finally {
    for (const p of running.reverse()) await p.stop();
    if (redis.startedByUs) await stopRedis(redis);
    if (postgres.startedByUs) await stopPostgres(postgres);
  }
}

interface ProductRun {
  root: string;
  dir: string;
  settings: BenchSettings;
  wrk: string;
  sink: string;
  adminUrl: string;
  redisUrl: string;
}

type ProductProfile = { summary: ReturnType<typeof summarizeProfile>; file: string };

/** The product service's two reads under both settings, as this benchmark has always measured them. */
async function measureProduct(
  run: ProductRun,
): Promise<{ rows: Row[]; profile: ProductProfile | undefined }> {
  const { root, dir, settings, sink } = run;
  const databaseUrl = await provisionDatabase(run.adminUrl, 'surge_bench_product');
  const rows: Row[] = [];
  let profile: ProductProfile | undefined;
  for (const [index, [label, overrides]] of SETTINGS.entries()) {
    const port = await freePort();
    const profileDir = path.join(dir, `profile-${index}`);
    // The production run is also profiled: the profile covers the measured windows only.
    const flags = index === 0 ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const product = await startProduct(root, dir, port, settings.serverCpu, flags, {
      ...productBenchEnv({
        port,
        adminPort: await freePort(),
        databaseUrl,
        redisUrl: run.redisUrl,
        keyPrefix: `bench-${path.basename(dir)}-${index}`,
        sink,
      }),
      ...overrides,
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      const routes = await productRoutes(base);
      const window: ProfileWindow = { fromUs: nowUs(), toUs: 0 };
      for (const route of routes) {
        rows.push({
          route: route.label,
          settings: label,
          result: await measureRead(settings, {
            wrk: run.wrk,
            url: `${base}${route.path}`,
            pid: product.pid,
            label: `product ${route.label}`,
          }),
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
    } finally {
      await product.stop();
    }
  }
  return { rows, profile };
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

const PRODUCT_WHY =
  'the product page, the read a shop serves most (every listing click, every cart line); the list page is ' +
  'measured too (above). Both come from the Redis cache, as after the first visitor. Anonymous: no token.';

const GATEWAY_ROW: ServiceReadRow = {
  service: 'gateway',
  route: 'GET /api/products/{id} through the gateway (JWT, rate limits, proxy)',
  why:
    'every client request passes the gateway; its CPU per request is measured side by side with nginx on the ' +
    'same upstream by gateway-vs-nginx, not measured again here.',
  elsewhere: { label: 'gateway-vs-nginx', href: 'bench-gateway-vs-nginx.md' },
};

/** The product row of the every-service table: the read by id, the read the goal names first. */
function productRow(rows: Row[], profile: ProductProfile | undefined): ServiceReadRow | undefined {
  const byId = rows.filter((row) => row.route === 'GET /api/products/{id}');
  const [production, development] = [SETTINGS[0]![0], SETTINGS[1]![0]].map(
    (label) => byId.find((row) => row.settings === label)?.result,
  );
  if (!production) return undefined;
  return {
    service: 'product',
    route: 'GET /api/products/{id}',
    why: PRODUCT_WHY,
    productionUs: production.cpuUsPerRequest,
    ...(development ? { developmentUs: development.cpuUsPerRequest } : {}),
    requestsPerSecond: production.requestsPerSecond,
    errors: byId.reduce((sum, row) => sum + row.result.errorsInAllRuns, 0),
    ...(profile ? { profile: profile.summary } : {}),
  };
}

function buildReport(
  settings: BenchSettings,
  reads: ReadsSettings,
  rows: Row[],
  profile: ProductProfile | undefined,
  others: ServiceReadRow[],
): BenchReport {
  const production = rows.filter((row) => row.settings === SETTINGS[0]![0]);
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  const product = productRow(rows, profile);
  const everyService = [...(product ? [product] : []), GATEWAY_ROW, ...others];
  return {
    name: 'service-reads',
    title: 'Service reads: CPU per cached read in the product service, and one read of every service',
    summary:
      `The product service alone on CPU ${settings.serverCpu} (telemetry register, access log, traces exported to a ` +
      `sink that drops them), its catalog seeded and its Redis cache warm; wrk on CPU ${settings.clientCpu} reads one ` +
      `product by id and one list page. Each figure is the median of ${settings.repeats} runs of CPU time (user + system, ` +
      `from /proc) per request: on a shared machine it is distorted far less than a throughput. Then one read route ` +
      `of every other service, each alone on CPU ${settings.serverCpu} in turn, measured the same way with runs of ` +
      `${reads.otherSeconds} s (BENCH_READS_SECONDS) and the headers the gateway sends (a real RS256 bearer token, ` +
      `x-request-id, x-forwarded-*): one table of every service below.`,
    goals: production.map((row) => ({
      statement: `${row.route}, production settings: CPU per request`,
      measured: row.result.cpuUsPerRequest,
      target: GOAL_US,
      better: 'lower' as const,
      unit: 'µs',
    })),
    sections: [
      {
        heading: 'One read of every service',
        markdown: [
          'CPU µs per request of the service alone, median of the runs; the profile column is the production ' +
            "run's `node --cpu-prof` self time (modules, then the top functions). Only the product row has a goal " +
            "(≤ 120 µs, above). Every route but the product's verifies a bearer token (RS256, jsonwebtoken) on every " +
            'request: that is part of its cost, as in production. Errors are non-2xx answers and socket errors over ' +
            'every run of the row: a row with errors was measured on a machine too busy to serve its load, or is broken.',
          '',
          renderServiceReadTable(everyService),
          '',
          'Why these routes (the read a real client calls most of each service), and how each was seeded:',
          '',
          renderRouteChoices(everyService),
          '',
          'The services other than product run as the stack runs them, with these differences, each so that the ' +
            'measured process does nothing but answer the read: no Kafka relay (`OUTBOX_RELAY=false`, as for ' +
            'product); the order recovery worker and the payment reconciler off; the notification consumer given a ' +
            'broker address nothing listens on (kafkajs retries the connection in the background, about one ' +
            'attempt a second: well under 1 µs per request at these rates) and SMTP pointing nowhere, with its send retry an hour away.',
        ].join('\n'),
      },
      {
        heading: 'CPU per request (product service)',
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
    data: {
      rows,
      profile: profile?.summary,
      everyService: everyService.map(({ profile: summary, ...row }) => ({
        ...row,
        profileTop: summary
          ? { modules: summary.modules.slice(0, 8), functions: summary.functions.slice(0, 8) }
          : undefined,
      })),
    },
    settings,
  };
}
