import fs from 'node:fs';
import path from 'node:path';
import { provisionDatabase } from '@surge/stack/native';
import { summarizeProfile, type ProfileSummary, type ProfileWindow } from '../lib/cpu-profile';
import { spawnPinned, waitForHttp, type Started } from '../lib/processes';
import { measureRead, type Measured } from '../lib/read-measure';
import type { ReadsService } from '../lib/reads-settings';
import type { ServiceReadRow } from '../lib/service-read-table';
import { freePort } from '../lib/workdir';
import { TARGETS, type OthersContext, type ReadTarget, type Seeded } from './service-read-targets';

export type { OthersContext } from './service-read-targets';

/** The other services' rows, in the order of `services`, each measured alone and in turn. */
export async function measureOtherServices(
  ctx: OthersContext,
  services: ReadsService[],
): Promise<ServiceReadRow[]> {
  const rows: ServiceReadRow[] = [];
  for (const target of TARGETS)
    if (services.includes(target.service)) rows.push(await measureTarget(ctx, target));
  return rows;
}

async function measureTarget(ctx: OthersContext, target: ReadTarget): Promise<ServiceReadRow> {
  const databaseUrl = await provisionDatabase(ctx.postgresAdminUrl, `surge_bench_${target.service}`);
  const results: Measured[] = [];
  let seeded: Seeded | undefined;
  let profile: ProfileSummary | undefined;
  for (const [index, [label, overrides]] of ctx.variants.entries()) {
    const port = await freePort();
    const profileDir = path.join(ctx.dir, `profile-${target.service}`);
    // The production run is profiled, over its measured windows only.
    const flags = index === 0 ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const service = await startService(ctx, target.service, port, flags, {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      ADMIN_PORT: String(await freePort()),
      DATABASE_URL: databaseUrl,
      // No brokers: the outbox keeps its events (their config says so); notification alone needs one.
      KAFKA_BROKERS: undefined,
      OUTBOX_RELAY: 'false',
      USER_SERVICE_URL: ctx.sink,
      OTEL_SERVICE_NAME: target.service,
      OTEL_EXPORTER_OTLP_ENDPOINT: ctx.sink,
      ...target.env(ctx),
      ...overrides,
    });
    const window: ProfileWindow = { fromUs: 0, toUs: 0 };
    try {
      const base = `http://127.0.0.1:${port}`;
      seeded ??= await target.seed(ctx, base, databaseUrl);
      window.fromUs = nowUs();
      results.push(
        await measureRead(ctx.settings, {
          wrk: ctx.wrk,
          url: `${base}${seeded.path}`,
          pid: service.pid,
          label: `${target.service} ${target.route} (${label.split(' ')[0]})`,
          headers: seeded.headers,
          seconds: ctx.seconds,
          warmupSeconds: ctx.warmupSeconds,
        }),
      );
      window.toUs = nowUs();
    } finally {
      await service.stop();
    }
    if (index === 0) profile = readProfile(profileDir, window, target.service);
  }
  const [production, development] = results;
  return {
    service: target.service,
    route: target.route,
    why: target.why,
    ...(production
      ? {
          productionUs: production.cpuUsPerRequest,
          requestsPerSecond: production.requestsPerSecond,
        }
      : {}),
    ...(development ? { developmentUs: development.cpuUsPerRequest } : {}),
    errors: results.reduce((sum, r) => sum + r.errorsInAllRuns, 0),
    ...(profile ? { profile } : {}),
  };
}

function readProfile(dir: string, window: ProfileWindow, service: string): ProfileSummary {
  const file = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : undefined;
  if (!file) throw new Error(`the ${service} service wrote no CPU profile into ${dir}`);
  return summarizeProfile(path.join(dir, file), 20, window);
}

function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** A service as the stack runs it (telemetry register, its built dist/), pinned to the server CPU. */
async function startService(
  ctx: OthersContext,
  service: string,
  port: number,
  nodeFlags: string[],
  env: NodeJS.ProcessEnv,
): Promise<Started> {
  const log = path.join(ctx.dir, `${service}-${port}.log`);
  const register = path.join(ctx.root, 'packages/telemetry/dist/register.js');
  // A variable set to undefined is left out (a child would otherwise see the string "undefined").
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
  const started = spawnPinned(
    process.execPath,
    [...nodeFlags, '--enable-source-maps', '--require', register, 'dist/main.js'],
    {
      cpu: ctx.settings.serverCpu,
      cwd: path.join(ctx.root, 'services', service),
      env: defined,
      logFile: log,
    },
  );
  await waitForHttp(`http://127.0.0.1:${port}/health/ready`, started, log, 120_000);
  return started;
}
