import fs from 'node:fs';
import path from 'node:path';
import { logFile, type SurgePaths } from '../native/paths';
import { isPortOpen } from '../native/ports';
import { isAlive, spawnDaemon, stopGracefully, tailFile } from '../native/process';
import { routeThroughProxies } from './network-proxies';
import { removeServiceRecord, writeServiceRecord, type ServiceRecord } from './service-records';
import {
  SERVICE_HOST,
  portOf,
  portVariable,
  urlOf,
  type ServiceSpec,
  type StackContext,
} from './service-specs';

export interface StartedService {
  spec: ServiceSpec;
  record: ServiceRecord;
}

/**
 * Starts one built service (`node --require <telemetry register> dist/main.js`) detached,
 * so a Ctrl-C reaches only the CLI, which then stops services before infrastructure.
 * Output goes to its log file; the CLI streams that file. Resolves once /health/ready
 * answers 200.
 */
export async function startService(
  spec: ServiceSpec,
  ctx: StackContext,
  log: (line: string) => void,
  timeoutMs = 60_000,
): Promise<StartedService> {
  const port = portOf(spec);
  if (await isPortOpen(SERVICE_HOST, port)) {
    throw new Error(
      `${spec.name}: port ${port} is already in use; stop what listens there or set ${portVariable(spec)}`,
    );
  }
  const cwd = path.join(ctx.paths.repoRoot, spec.dir);
  const main = path.join(cwd, 'dist', 'main.js');
  if (!fs.existsSync(main))
    throw new Error(
      `${spec.name}: ${path.relative(ctx.paths.repoRoot, main)} is missing; the build did not produce it`,
    );
  const file = logFile(ctx.paths, spec.name);
  const tracing = telemetry(spec, ctx);
  const nodeEnv = process.env.NODE_ENV ?? 'development';
  const env = {
    ...process.env,
    NODE_ENV: nodeEnv,
    // `pnpm stack fault` works on every stack that is not production (never there: the
    // services refuse FAULT_INJECTION with NODE_ENV=production).
    FAULT_INJECTION: nodeEnv === 'production' ? 'false' : 'true',
    HOST: SERVICE_HOST,
    PORT: String(port),
    ...tracing.env,
    ...(await routeThroughProxies(spec.name, spec.env(ctx), ctx)),
  };
  log(`[stack] ${spec.name}: starting on ${urlOf(spec)}`);
  const pid = await spawnDaemon({
    command: process.execPath,
    args: ['--enable-source-maps', ...tracing.args, main],
    cwd,
    logFile: file,
    env,
  });
  const record: ServiceRecord = {
    name: spec.name,
    pid,
    port,
    url: urlOf(spec),
    startedAt: new Date().toISOString(),
    logFile: file,
    marker: main,
  };
  writeServiceRecord(ctx.paths, record);
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (!isAlive(pid)) {
      removeServiceRecord(ctx.paths, spec.name);
      throw new Error(`${spec.name} exited during start. Last lines of ${file}:\n${tailFile(file, 20)}`);
    }
    if (await isReady(record.url)) return { spec, record };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stopService(record, ctx.paths);
  throw new Error(
    `${spec.name} was not ready within ${timeoutMs / 1000} s. Last lines of ${file}:\n${tailFile(file, 20)}`,
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
