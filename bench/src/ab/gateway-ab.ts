/**
 * Gateway A/B on a busy, shared machine: two or more gateways (builds of the repository,
 * or one build with different settings) run at once on the same core, in front of the
 * same bare upstream, and take turns under wrk, round after round, the order swapped
 * each round. What a busy machine cannot blur is read per process: CPU (user + system,
 * /proc) per request answered, the proxied read of gateway-vs-nginx with its production
 * settings (JWT, Redis rate limit, one trace in ten, access log).
 *
 * Usage: npm run bench -- gateway-ab --variant before=/path/a --variant after=/path/b
 *        [--variant unbatched=/path/b:LOG_BATCH_BYTES=0] [--rounds 6] [--seconds 5]
 *        [--profile dir]
 * A variant is label=root, and after a colon its own environment (KEY=VALUE, comma
 * separated). BENCH_CONNECTIONS, BENCH_SERVER_CPU, BENCH_CLIENT_CPU as for every bench.
 */
import fs from 'node:fs';
import path from 'node:path';
import { toPublicJwk } from '@surge/auth';
import { createTestKeyPair, signTestToken } from '@surge/testing';
import { ensureRedis, findRepoRoot, stopRedis } from '@surge/stack/native';
import {
  type Ctx,
  GATEWAY_VARIANTS,
  gatewayEnvironment,
  PRODUCT_PATH,
  startGateway,
  startUpstream,
} from '../benches/gateway-vs-nginx';
import { summarizeProfile } from '../lib/cpu-profile';
import { cpuSecondsOfTree } from '../lib/cpu-time';
import { stopAll } from '../lib/processes';
import { fmt, table } from '../lib/report';
import { readSettings } from '../lib/settings';
import { ensureTools } from '../lib/tools';
import { freePort, makeWorkDir } from '../lib/workdir';
import { runWrk } from '../lib/wrk';

interface Variant {
  label: string;
  root: string;
  env: Record<string, string>;
}

interface Options {
  variants: Variant[];
  rounds: number;
  seconds: number;
  profileDir?: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { variants: [], rounds: 6, seconds: 5 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value = ''] = [argv[i], argv[i + 1]];
    if (flag === '--variant') options.variants.push(parseVariant(value));
    else if (flag === '--rounds') options.rounds = Number(value);
    else if (flag === '--seconds') options.seconds = Number(value);
    else if (flag === '--profile') options.profileDir = path.resolve(value);
    else throw new Error(`unknown argument ${flag}`);
  }
  if (options.variants.length < 2) throw new Error('give at least two --variant label=/path[:KEY=VALUE,...]');
  return options;
}

function parseVariant(value: string): Variant {
  const [label = '', rest = ''] = value.split(/=(.*)/s);
  const [root = '', envList = ''] = rest.split(/:(.*)/s);
  const env: Record<string, string> = {};
  for (const pair of envList.split(',').filter(Boolean)) {
    const [key = '', setting = ''] = pair.split(/=(.*)/s);
    env[key] = setting;
  }
  if (!label || !fs.existsSync(path.join(root, 'services/gateway/dist/main.js')))
    throw new Error(`--variant ${value}: want label=<a built repository>[:KEY=VALUE,...]`);
  return { label, root: path.resolve(root), env };
}

export async function gatewayAb(argv: string[]): Promise<void> {
  const options = parseArgs(argv);
  const settings = readSettings();
  const tools = await ensureTools(['wrk', 'taskset']);
  const dir = makeWorkDir('gateway-ab');
  const redis = await ensureRedis({});
  const keys = createTestKeyPair();
  const ctx: Ctx = {
    settings,
    dir,
    root: findRepoRoot(),
    wrk: tools.wrk,
    token: signTestToken(keys, { expiresInSeconds: 86_400 }),
  };
  const jwks = JSON.stringify({ keys: [toPublicJwk(keys.publicKey, keys.kid)] });
  try {
    const upstreamPort = await freePort();
    await startUpstream(ctx, upstreamPort, settings.clientCpu, jwks);
    const base = {
      ...gatewayEnvironment(ctx, upstreamPort, redis.serviceUrls['gateway'] ?? redis.url),
      ...GATEWAY_VARIANTS[0]![1],
    };
    const gateways = [];
    for (const variant of options.variants) {
      const flags = options.profileDir
        ? ['--cpu-prof', `--cpu-prof-dir=${path.join(options.profileDir, variant.label)}`]
        : [];
      const started = await startGateway(
        { ...ctx, root: variant.root },
        await freePort(),
        { ...base, ...variant.env },
        flags,
      );
      gateways.push({ variant, started, runs: [] as number[], rates: [] as number[] });
    }
    const headers = { authorization: `Bearer ${ctx.token}` };
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? gateways : [...gateways].reverse();
      for (const gateway of order) {
        const url = `${gateway.started.url}${PRODUCT_PATH}`;
        const load = {
          wrk: ctx.wrk,
          url,
          connections: settings.connections,
          cpu: settings.clientCpu,
          headers,
        };
        await runWrk({ ...load, seconds: 1 });
        const before = cpuSecondsOfTree(gateway.started.pid);
        const result = await runWrk({ ...load, seconds: options.seconds });
        const errors = result.non2xx + result.socketErrors;
        // A run the machine starved (nothing answered, or more than 1 % errors: wrk's 2 s
        // timeouts) says nothing about the gateway: kept out of the medians and pairs.
        const valid = result.requests >= 100 && errors <= result.requests / 100;
        const us = valid
          ? ((cpuSecondsOfTree(gateway.started.pid) - before) * 1e6) / result.requests
          : Number.NaN;
        if (errors > 0) process.stdout.write(`[ab] ${gateway.variant.label}: ${errors} errors\n`);
        gateway.runs.push(us);
        gateway.rates.push(result.requestsPerSecond);
        process.stdout.write(
          `[ab] round ${round + 1} ${gateway.variant.label}: ${fmt(us)} µs/request, ${fmt(result.requestsPerSecond)} requests/s\n`,
        );
      }
    }
    for (const gateway of gateways) await gateway.started.stop();
    process.stdout.write(`\n${summary(gateways)}\n`);
    if (options.profileDir)
      for (const gateway of gateways) printProfile(options.profileDir, gateway.variant.label);
  } finally {
    await stopAll();
    // What this run started, it stops: a bench leaves the machine as it found it.
    if (redis.startedByUs) await stopRedis(redis);
  }
}

/** The median of the valid runs (NaN marks a starved one). */
function median(values: number[]): number {
  const valid = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  return valid[Math.floor(valid.length / 2)] ?? Number.NaN;
}

function summary(gateways: Array<{ variant: Variant; runs: number[]; rates: number[] }>): string {
  const first = gateways[0]!;
  return table([
    [
      'gateway',
      'µs/request (median)',
      `ratio to ${first.variant.label}`,
      `lower than ${first.variant.label} in`,
      'runs (µs/request)',
      'requests/s (median)',
    ],
    ...gateways.map((g) => [
      g.variant.label,
      fmt(median(g.runs)),
      median(g.runs.map((us, i) => us / first.runs[i]!)).toFixed(2),
      `${g.runs.filter((us, i) => us < first.runs[i]!).length} of ${g.runs.filter((us, i) => !Number.isNaN(us + first.runs[i]!)).length}`,
      g.runs.map((us) => (Number.isNaN(us) ? 'starved' : fmt(us))).join(', '),
      fmt(median(g.rates)),
    ]),
  ]);
}

function printProfile(profileDir: string, label: string): void {
  const dir = path.join(profileDir, label);
  const file = fs.readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) return;
  const profile = summarizeProfile(path.join(dir, file), 40);
  // Busy time only: the gateways share a core and each idles while the other is loaded.
  const idleMs = profile.modules.find((m) => m.name === '(idle)')?.ms ?? 0;
  const busyMs = Math.max(1, profile.totalMs - idleMs);
  const rows = (list: typeof profile.modules) =>
    list
      .filter((m) => !m.name.startsWith('(idle)'))
      .map((m) => [m.name, `${((m.ms / busyMs) * 100).toFixed(1)}%`]);
  process.stdout.write(`\n## ${label}: ${busyMs} ms busy of ${profile.totalMs} ms sampled\n`);
  process.stdout.write(`${table([['module', 'self (busy)'], ...rows(profile.modules)])}\n`);
  process.stdout.write(`${table([['function', 'self (busy)'], ...rows(profile.functions)])}\n`);
}
