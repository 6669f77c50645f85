import fs from 'node:fs';
import path from 'node:path';
import { toPublicJwk } from '@surge/auth';
import { createTestKeyPair, signTestToken } from '@surge/testing';
import { ensureRedis, stopRedis, findRepoRoot } from '@surge/stack/native';
import { summarizeProfile } from '../lib/cpu-profile';
import { cpuSecondsOfTree } from '../lib/cpu-time';
import { spawnPinned, waitForHttp, type Started } from '../lib/processes';
import { fmt, table, type BenchReport } from '../lib/report';
import type { BenchSettings } from '../lib/settings';
import { ensureTools } from '../lib/tools';
import { freePort, makeWorkDir } from '../lib/workdir';
import { runWrk, type WrkResult } from '../lib/wrk';
import { writeNginxConfig } from './nginx-config';

export const PRODUCT_PATH = '/api/products/3f0c2a9e-6d7b-4c1e-9a8f-2b5d7e1c4a60';
const GOAL = 0.35;

/**
 * Label and environment overrides of each gateway run. The first is the goal's: what
 * `k8s/base` runs (NODE_ENV=production: one trace in ten, LOG_LEVEL=info, access log on);
 * the second is `npm start`'s (development: every trace). NODE_ENV itself stays
 * `development`, as in service-reads: production refuses the development Redis password
 * the gateway's Redis user has here, and sampling and log level are all that NODE_ENV
 * changes on this path.
 */
export const PRODUCTION = 'gateway, production settings (10% of traces)';
export const GATEWAY_VARIANTS: Array<[string, NodeJS.ProcessEnv]> = [
  [PRODUCTION, { NODE_ENV: 'development', OTEL_TRACES_SAMPLER_ARG: '0.1', LOG_LEVEL: 'info' }],
  [
    'gateway, development settings (every trace)',
    { NODE_ENV: 'development', OTEL_TRACES_SAMPLER_ARG: '1', LOG_LEVEL: 'info' },
  ],
  ['gateway without tracing', { OTEL_SDK_DISABLED: 'true' }],
  ['gateway without tracing or access log', { OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'warn' }],
];

export interface Ctx {
  settings: BenchSettings;
  dir: string;
  root: string;
  wrk: string;
  token: string;
}

/**
 * The same product read through the gateway (JWT check, Redis rate limit, routing,
 * upstream pool, access log, tracing) and through nginx as a plain reverse proxy, to the
 * same upstream, each pinned to the same core with wrk on the other.
 */
export async function gatewayVsNginx(settings: BenchSettings): Promise<BenchReport> {
  const tools = await ensureTools(['nginx', 'wrk', 'taskset']);
  const root = findRepoRoot();
  const dir = makeWorkDir('gateway');
  const redis = await ensureRedis({});
  const keys = createTestKeyPair();
  const ctx: Ctx = {
    settings,
    dir,
    root,
    wrk: tools.wrk,
    token: signTestToken(keys, { expiresInSeconds: 86_400 }),
  };
  const jwks = JSON.stringify({ keys: [toPublicJwk(keys.publicKey, keys.kid)] });
  const running: Started[] = [];
  try {
    const upstreamPort = await freePort();
    running.push(await startUpstream(ctx, upstreamPort, settings.clientCpu, jwks));
    const results: Record<string, Measured> = {};

    const nginxPort = await freePort();
    const nginx = await startNginx(ctx, tools.nginx, nginxPort, upstreamPort);
    running.push(nginx);
    results.nginx = await measure(ctx, 'nginx', nginxPort, nginx.pid);
    await nginx.stop();

    const gatewayEnv = gatewayEnvironment(ctx, upstreamPort, redis.serviceUrls['gateway'] ?? redis.url);
    // The gateway as the stack runs it, then without tracing and without the access log:
    // the differences say what each costs per request.
    for (const [label, overrides] of GATEWAY_VARIANTS) {
      const gateway = await startGateway(ctx, await freePort(), { ...gatewayEnv, ...overrides }, []);
      running.push(gateway);
      results[label] = await measure(ctx, label, Number(new URL(gateway.url).port), gateway.pid);
      await gateway.stop();
    }

    const ceilingPort = await freePort();
    const ceiling = await startUpstream(ctx, ceilingPort, settings.serverCpu, jwks);
    running.push(ceiling);
    results.upstream = await measure(ctx, 'upstream', ceilingPort, ceiling.pid);
    await ceiling.stop();

    const profileDir = path.join(dir, 'profile');
    const profiled = await startGateway(
      ctx,
      await freePort(),
      { ...gatewayEnv, ...GATEWAY_VARIANTS[0]![1] },
      ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    );
    running.push(profiled);
    const window = { fromUs: 0, toUs: 0 };
    const profileLoad = await measure(
      ctx,
      'gateway-profiled',
      Number(new URL(profiled.url).port),
      profiled.pid,
      window,
    );
    await profiled.stop();
    const profileFile = fs.readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (!profileFile) throw new Error(`the gateway wrote no CPU profile into ${profileDir}`);
    // The measured run only: start-up and warm-up are not what a request costs.
    const profile = summarizeProfile(path.join(profileDir, profileFile), 15, window);
    return buildReport(ctx, results, profile, profileLoad, path.join(profileDir, profileFile));
  } finally {
    for (const p of running.reverse()) await p.stop();
    if (redis.startedByUs) await stopRedis(redis);
  }
}

export async function startUpstream(ctx: Ctx, port: number, cpu: string, jwks: string): Promise<Started> {
  const log = path.join(ctx.dir, `upstream-${port}.log`);
  const started = spawnPinned(
    process.execPath,
    [path.join(ctx.root, 'bench/fixtures/product-upstream.cjs')],
    {
      cpu,
      env: { ...process.env, PORT: String(port), BENCH_JWKS: jwks },
      logFile: log,
    },
  );
  await waitForHttp(`http://127.0.0.1:${port}/health/ready`, started, log);
  return started;
}

async function startNginx(ctx: Ctx, nginx: string, port: number, upstreamPort: number): Promise<Started> {
  const config = writeNginxConfig(ctx.dir, port, upstreamPort);
  const log = path.join(ctx.dir, 'nginx.log');
  const started = spawnPinned(nginx, ['-c', config, '-e', path.join(ctx.dir, 'nginx-error.log')], {
    cpu: ctx.settings.serverCpu,
    logFile: log,
  });
  await waitForHttp(`http://127.0.0.1:${port}/health/ready`, started, log);
  return started;
}

/** The environment `npm run stack -- up` gives the gateway, with limits no benchmark reaches. */
export function gatewayEnvironment(ctx: Ctx, upstreamPort: number, redisUrl: string): NodeJS.ProcessEnv {
  const upstream = `http://127.0.0.1:${upstreamPort}`;
  return {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    HOST: '127.0.0.1',
    REDIS_URL: redisUrl,
    USER_SERVICE_URL: upstream,
    PRODUCT_SERVICE_URL: upstream,
    RATE_LIMIT_KEY_PREFIX: `bench:${path.basename(ctx.dir)}:`,
    RATE_LIMIT_USER_MAX: '1000000000',
    LOAD_SHED_MAX_INFLIGHT: String(Math.max(256, ctx.settings.connections * 2)),
    OTEL_SERVICE_NAME: 'gateway',
    // Traces are built and exported as in the stack; the upstream's sink drops them.
    OTEL_EXPORTER_OTLP_ENDPOINT: upstream,
  };
}

export async function startGateway(
  ctx: Ctx,
  port: number,
  env: NodeJS.ProcessEnv,
  nodeFlags: string[],
): Promise<Started & { url: string }> {
  const cwd = path.join(ctx.root, 'services/gateway');
  const log = path.join(ctx.dir, `gateway-${port}.log`);
  const register = path.join(ctx.root, 'packages/telemetry/dist/register.js');
  const started = spawnPinned(
    process.execPath,
    [...nodeFlags, '--enable-source-maps', '--require', register, 'dist/main.js'],
    { cpu: ctx.settings.serverCpu, cwd, env: { ...env, PORT: String(port) }, logFile: log },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health/ready`, started, log);
  return { ...started, url };
}

/** Checks the proxy answers the product with 200, warms it up, then measures. */
interface Measured extends WrkResult {
  /** CPU time of the server (and its children) per request, in microseconds: the median run's. */
  cpuUsPerRequest: number;
  /** CPU µs per request of every run, in the order run. */
  runs: number[];
}

async function measure(
  ctx: Ctx,
  label: string,
  port: number,
  serverPid: number,
  window?: { fromUs: number; toUs: number },
): Promise<Measured> {
  const url = `http://127.0.0.1:${port}${PRODUCT_PATH}`;
  const headers = { authorization: `Bearer ${ctx.token}` };
  const probe = await fetch(url, { headers });
  const body = await probe.text();
  if (probe.status !== 200 || !body.includes('BENCH-0001'))
    throw new Error(`${label} answered ${probe.status} ${body.slice(0, 300)}`);
  const base = {
    wrk: ctx.wrk,
    url,
    connections: ctx.settings.connections,
    cpu: ctx.settings.clientCpu,
    headers,
  };
  if (ctx.settings.warmupSeconds > 0) await runWrk({ ...base, seconds: ctx.settings.warmupSeconds });
  if (window) window.fromUs = Number(process.hrtime.bigint() / 1000n);
  // Repeated, the median run reported: on a shared machine one run can be far off.
  const runs: Array<WrkResult & { cpuUsPerRequest: number }> = [];
  for (let i = 0; i < ctx.settings.repeats; i++) {
    const cpuBefore = cpuSecondsOfTree(serverPid);
    const wrk = await runWrk({ ...base, seconds: ctx.settings.seconds });
    runs.push({
      ...wrk,
      cpuUsPerRequest: ((cpuSecondsOfTree(serverPid) - cpuBefore) * 1e6) / Math.max(1, wrk.requests),
    });
  }
  if (window) window.toUs = Number(process.hrtime.bigint() / 1000n);
  const median = [...runs].sort((a, b) => a.cpuUsPerRequest - b.cpuUsPerRequest)[
    Math.floor(runs.length / 2)
  ]!;
  const result: Measured = { ...median, runs: runs.map((run) => run.cpuUsPerRequest) };
  // Timeouts mean the server was saturated past wrk's 2 s timeout: the report shows them
  // next to the figure rather than failing the whole run.
  const errors = result.non2xx + result.socketErrors;
  if (errors > 0) process.stdout.write(`[bench] ${label}: ${errors} errors in ${result.requests} requests\n`);
  process.stdout.write(
    `[bench] ${label}: ${fmt(result.requestsPerSecond)} requests/s, p99 ${fmt(result.p99Ms)} ms, ` +
      `${fmt(result.cpuUsPerRequest)} µs CPU/request (runs ${result.runs.map((us) => fmt(us)).join(', ')})\n`,
  );
  return result;
}

function buildReport(
  ctx: Ctx,
  results: Record<string, Measured>,
  profile: ReturnType<typeof summarizeProfile>,
  profileLoad: Measured,
  profileFile: string,
): BenchReport {
  const nginx = results.nginx!;
  const gateway = results[PRODUCTION]!;
  const upstream = results.upstream!;
  const ratio = gateway.requestsPerSecond / nginx.requestsPerSecond;
  const row = (name: string, r: Measured) => [
    name,
    r.requestsPerSecond,
    r.p50Ms,
    r.p99Ms,
    r.cpuUsPerRequest,
    r.runs.map((us) => fmt(us)).join(', '),
    r.non2xx + r.socketErrors,
    `${fmt((r.requestsPerSecond / nginx.requestsPerSecond) * 100, 0)}%`,
  ];
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  return {
    name: 'gateway-vs-nginx',
    title: 'Gateway cost: the gateway against nginx as a plain reverse proxy',
    summary:
      `One authenticated \`GET ${PRODUCT_PATH}\` (RS256 JWT, per-user rate limit in Redis), served by a bare ` +
      `node:http upstream from memory (bench/fixtures/product-upstream.cjs), read through nginx ` +
      `(bench/src/benches/nginx-config.ts) and through the gateway as the stack runs it (telemetry register, ` +
      `access log, traces exported; production settings as k8s/base runs it, one trace in ten, and development ` +
      `settings as npm start runs it, every trace). Each proxy runs alone on CPU ${ctx.settings.serverCpu}; wrk and the upstream ` +
      `share CPU ${ctx.settings.clientCpu}. The upstream measured directly on CPU ${ctx.settings.serverCpu} is the ceiling. ` +
      `Each row is the run with the median CPU per request of ${ctx.settings.repeats}.`,
    goals: [
      {
        statement: 'gateway throughput as a share of nginx (production settings)',
        measured: ratio * 100,
        target: GOAL * 100,
        better: 'higher',
        unit: '%',
      },
      // The same share from CPU per request (nginx's over the gateway's): what each would
      // serve with a core to itself. A busy machine moves both runs' throughput, and not
      // alike when the load changes between them; their CPU per request far less.
      {
        statement: 'gateway as a share of nginx by CPU per request (production settings)',
        measured: (nginx.cpuUsPerRequest / gateway.cpuUsPerRequest) * 100,
        target: GOAL * 100,
        better: 'higher',
        unit: '%',
      },
    ],
    sections: [
      {
        heading: 'Throughput and latency',
        markdown: table([
          [
            'server on one core',
            'requests/s',
            'p50 ms',
            'p99 ms',
            'CPU µs/request',
            'CPU µs/request of each run',
            'errors',
            'of nginx',
          ],
          row('nginx (reverse proxy)', nginx),
          ...GATEWAY_VARIANTS.map(([label]) => row(label, results[label]!)),
          row('upstream directly (ceiling)', upstream),
        ]),
      },
      {
        heading: 'Where the gateway spends its CPU',
        markdown: [
          `A second gateway run with production settings under the same load with \`node --cpu-prof\` ` +
            `(${fmt(profileLoad.requestsPerSecond)} requests/s while profiled; ${fmt(profile.totalMs)} ms sampled in ` +
            `the measured run, start-up and warm-up left out). Self time, i.e. in the code itself and not its callees.`,
          '',
          table([['module', 'self time'], ...profile.modules.map((m) => [m.name, pct(m.share)])]),
          '',
          table([
            ['function', 'self time'],
            ...profile.functions.map((f) => [`\`${f.name}\``, pct(f.share)]),
          ]),
          '',
          `Profile file of this run: \`${profileFile}\` (open it in Chrome DevTools' Performance tab).`,
        ].join('\n'),
      },
    ],
    data: { results, ratio, profile },
    settings: ctx.settings,
  };
}
