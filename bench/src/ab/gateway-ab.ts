/**
 * Gateway A/B on a busy, shared machine: two or more gateways (builds of the repository,
 * or one build with different settings) run at once on the same core, in front of the
 * same bare upstream, and take turns under wrk, round after round, the order swapped
 * each round. What a busy machine cannot blur is read per process: CPU (user + system,
 * /proc) per request answered, the proxied read of gateway-vs-nginx with its production
 * settings (JWT, Redis rate limit, one trace in ten, access log).
 *
 * Usage: npm run bench -- gateway-ab --build before=/path/a --build after=/path/b
 *        [--build unbatched=/path/b:LOG_BATCH_BYTES=0] [--rounds 6] [--seconds 5]
 *        [--profile dir]
 * A build is label=root, and after a colon its own environment (KEY=VALUE, comma
 * separated); `--variant` is the older name of `--build`. BENCH_CONNECTIONS, BENCH_SERVER_CPU, BENCH_CLIENT_CPU as for every bench.
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
import { AbArguments, runAbTool, type AbBuild } from './ab-arguments';

interface Options {
  variants: AbBuild[];
  rounds: number;
  seconds: number;
  profileDir?: string;
}

const USAGE =
  'npm run bench -- gateway-ab --build <label>=<built repository>[:KEY=VALUE,...] --build ... ' +
  '[--rounds 6] [--seconds 5] [--profile <dir>]';

function parseOptions(argv: string[]): Options {
  const args = AbArguments.parse(argv, ['rounds', 'seconds', 'profile']);
  const profileDir = args.path('profile');
  return {
    variants: args.builds(2),
    rounds: args.number('rounds', 6),
    seconds: args.number('seconds', 5),
    ...(profileDir ? { profileDir } : {}),
  };
}

export function gatewayAb(argv: string[]): Promise<void> {
  return runAbTool(USAGE, () => parseOptions(argv), runGateways);
}

async function runGateways(options: Options): Promise<void> {
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

function summary(gateways: Array<{ variant: AbBuild; runs: number[]; rates: number[] }>): string {
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
