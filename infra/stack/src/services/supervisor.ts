import fs from 'node:fs';
import path from 'node:path';
import { logFile, type SurgePaths } from '../native/paths';
import { isPortOpen } from '../native/ports';
import { applyCpuQuota, detectCpuQuota, noQuotaMessage, removeCpuGroup } from '../native/cpu-quota';
import { isAlive, spawnDaemon, stopGracefully, tailFile } from '../native/process';
import { cpusVariable, instanceFileName, instanceName, parseCpus } from './instances';
import { routeThroughProxies } from './network-proxies';
import { removeServiceRecord, writeServiceRecord, type ServiceRecord } from './service-records';
import { scaledCpus } from './upstreams-file';
import {
  SERVICE_HOST,
  instanceUrl,
  portOfInstance,
  portVariable,
  type ServiceSpec,
  type StackContext,
} from './service-specs';

export interface StartedService {
  spec: ServiceSpec;
  record: ServiceRecord;
}

export interface StartOptions {
  /** Which instance (0: the service's own port; i: port + 100·i). */
  index?: number;
  /** CPU quota; default: `SURGE_<SERVICE>_CPUS` when set, else none. */
  cpus?: number;
  timeoutMs?: number;
}

/**
 * Starts one built service instance (`node --require <telemetry register> dist/main.js`) detached,
 * so a Ctrl-C reaches only the CLI, which then stops services before infrastructure.
 * Output goes to its log file; the CLI streams that file. Resolves once /health/ready
 * answers 200.
 */
export async function startService(
  spec: ServiceSpec,
  ctx: StackContext,
  log: (line: string) => void,
  options: StartOptions = {},
): Promise<StartedService> {
  const index = options.index ?? 0;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const name = instanceName(spec.name, index);
  const port = portOfInstance(spec, index);
  const url = instanceUrl(port);
  if (await isPortOpen(SERVICE_HOST, port)) {
    throw new Error(
      `${name}: port ${port} is already in use; stop what listens there or set ${portVariable(spec)}`,
    );
  }
  const cwd = path.join(ctx.paths.repoRoot, spec.dir);
  const main = path.join(cwd, 'dist', 'main.js');
  if (!fs.existsSync(main))
    throw new Error(
      `${spec.name}: ${path.relative(ctx.paths.repoRoot, main)} is missing; the build did not produce it`,
    );
  const file = logFile(ctx.paths, instanceFileName(spec.name, index));
  const tracing = telemetry(spec, ctx);
  const nodeEnv = process.env.NODE_ENV ?? 'development';
  const env = {
    ...process.env,
    NODE_ENV: nodeEnv,
    // `npm run stack -- fault` works on every stack that is not production (never there: the
    // services refuse FAULT_INJECTION with NODE_ENV=production).
    FAULT_INJECTION: nodeEnv === 'production' ? 'false' : 'true',
    HOST: SERVICE_HOST,
    PORT: String(port),
    ...tracing.env,
    ...(await routeThroughProxies(spec.name, spec.env(ctx), ctx)),
  };
  log(`[stack] ${name}: starting on ${url}`);
  const pid = await spawnDaemon({
    command: process.execPath,
    args: ['--enable-source-maps', ...tracing.args, main],
    cwd,
    logFile: file,
    env,
  });
  const record: ServiceRecord = {
    name,
    service: spec.name,
    index,
    pid,
    port,
    url,
    startedAt: new Date().toISOString(),
    logFile: file,
    marker: main,
  };
  // Recorded before anything else can fail, so `down` finds it whatever happens next.
  writeServiceRecord(ctx.paths, record);
  const cpus = options.cpus ?? scaledCpus(ctx.paths, spec.name) ?? cpusFromEnv(spec.name);
  if (cpus !== undefined) limitCpu(record, ctx, cpus, log);
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (!isAlive(pid)) {
      removeServiceRecord(ctx.paths, name);
      removeCpuGroup(record.cgroup);
      throw new Error(`${name} exited during start. Last lines of ${file}:\n${tailFile(file, 20)}`);
    }
    if (await isReady(record.url)) return { spec, record };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stopService(record, ctx.paths);
  throw new Error(
    `${name} was not ready within ${timeoutMs / 1000} s. Last lines of ${file}:\n${tailFile(file, 20)}`,
  );
}

/**
 * Traces for every service: the telemetry register loads before the service's own code
 * (it must, to patch express, pg, undici... as they load), names the service, and exports
 * to the stack's collector. A missing register (a partial build) only means no traces.
 */
function telemetry(spec: ServiceSpec, ctx: StackContext): { args: string[]; env: Record<string, string> } {
  const register = path.join(ctx.paths.repoRoot, 'packages', 'telemetry', 'dist', 'register.js');
  // Read by name: the collector is in the infrastructure's env, which StackContext types only in part.
  const endpoint = ctx.infraEnv.OTEL_EXPORTER_OTLP_ENDPOINT;
  return {
    args: fs.existsSync(register) ? ['--require', register] : [],
    env: { OTEL_SERVICE_NAME: spec.name, ...(endpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } : {}) },
  };
}

export async function stopService(
  record: ServiceRecord,
  paths: SurgePaths,
  timeoutMs = 15_000,
): Promise<void> {
  await stopGracefully(record.pid, { timeoutMs, signal: 'SIGTERM' });
  removeServiceRecord(paths, record.name);
  removeCpuGroup(record.cgroup);
}

/**
 * Puts a running instance into a cgroup of its own with `cpus` worth of CPU time (a
 * second call changes the quota in place) and records it; without a writable cpu
 * controller it says so in one line and the instance runs unlimited.
 */
export function limitCpu(
  record: ServiceRecord,
  ctx: { paths: SurgePaths },
  cpus: number,
  log: (line: string) => void,
): void {
  const support = detectCpuQuota(ctx.paths.stateDir);
  if (support.kind === 'none') {
    log(noQuotaMessage(support.reason));
    return;
  }
  const group = instanceFileName(record.service ?? record.name, record.index ?? 0);
  record.cgroup = applyCpuQuota(support, group, record.pid, cpus);
  record.cpus = cpus;
  writeServiceRecord(ctx.paths, record);
  log(`[stack] ${record.name}: limited to ${cpus} CPU (cgroup ${support.kind}, ${record.cgroup})`);
}

function cpusFromEnv(service: string): number | undefined {
  const raw = process.env[cpusVariable(service)];
  return raw === undefined || raw === '' ? undefined : parseCpus(raw, cpusVariable(service));
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}
