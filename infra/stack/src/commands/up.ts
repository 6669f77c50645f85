import { spawnSync } from 'node:child_process';
import { ensureInfra, stopInfra, type Infra } from '../native/infra';
import { removeCpuGroup, removeStackCpuGroups } from '../native/cpu-quota';
import { stopReplacedInfra } from '../native/stop-owned';
import { surgePaths } from '../native/paths';
import { followLogs } from '../services/follow-logs';
import { instanceLogFiles } from '../services/instance-control';
import {
  indexOf,
  isLiveService,
  readServiceRecords,
  removeServiceRecord,
  serviceOf,
} from '../services/service-records';
import { SERVICE_SPECS, urlOf, type ServiceSpec, type StackContext } from '../services/service-specs';
import { assertServicePortsFree, claimStack, releaseStack } from '../services/stack-claim';
import { buildStackContext } from '../services/stack-context';
import { startService, stopService, type StartedService } from '../services/supervisor';
import { removeUpstreamsFiles } from '../services/upstreams-file';

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `npm run stack -- up`: infrastructure, databases, build, every service, then the URLs; stays
 * in the foreground streaming logs until Ctrl-C or SIGTERM, then stops everything it
 * started in reverse order (gateway first, Postgres last), leaving nothing behind. Each
 * service starts with one instance; `npm run stack -- scale` adds more from another terminal,
 * and they are this stack's too: their logs stream here and Ctrl-C stops them.
 *
 * Whoever did not start a process never stops it: a stack already running in this clone
 * (stack-claim.ts) or a service port some other program holds ends this start before it
 * starts anything, with nothing stopped.
 */
export async function up(args: string[] = []): Promise<void> {
  const paths = surgePaths();
  const gateway = SERVICE_SPECS.find((spec) => spec.name === 'gateway');
  const claim = claimStack(paths, gateway ? urlOf(gateway) : '(no gateway in this checkout)');
  try {
    await assertServicePortsFree(SERVICE_SPECS);
  } catch (error) {
    releaseStack(paths, claim);
    throw error;
  }
  const started: StartedService[] = [];
  let infra: Infra | undefined;
  let stopping = false;
  let stopFollowing = () => undefined as void;
  // The service starts under way: a Ctrl-C while they run waits for them, so no service
  // is spawned after the records were read (it would be left running, nobody's).
  let starting: Promise<unknown> = Promise.resolve();

  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log(`\n[stack] ${reason}: stopping`);
    stopFollowing();
    await starting.catch(() => undefined);
    // By run record, not by the pids started here: a service restarted by a chaos command
    // or an instance added by `scale` is still this stack's to stop. The claim made sure
    // that no other stack's record is among them; a dead one is only forgotten.
    const records = readServiceRecords(paths);
    for (const gone of records.filter((record) => !isLiveService(record))) {
      removeServiceRecord(paths, gone.name);
      removeCpuGroup(gone.cgroup);
    }
    const running = records.filter(isLiveService);
    const order = started.map((service) => service.spec.name).reverse();
    running.sort(
      (a, b) => order.indexOf(serviceOf(a)) - order.indexOf(serviceOf(b)) || indexOf(b) - indexOf(a),
    );
    for (const record of running) {
      log(`[stack] ${record.name}: stopping`);
      await stopService(record, paths).catch((error: unknown) =>
        log(`[stack] ${record.name}: ${String(error)}`),
      );
    }
    removeUpstreamsFiles(paths);
    removeStackCpuGroups(paths.stateDir);
    if (infra) {
      await stopInfra(infra, { log }).catch((error: unknown) => log(`[stack] ${String(error)}`));
      await stopReplacedInfra(infra, log);
    }
    releaseStack(paths, claim);
    log('[stack] stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('interrupted', 0));
  process.on('SIGTERM', () => void shutdown('terminated', 0));

  try {
    const begun = Date.now();
    // --network-faults: Toxiproxy between every service and its dependencies (else SURGE_NETWORK_FAULTS).
    infra = await ensureInfra({ log, ...(args.includes('--network-faults') ? { networkFaults: true } : {}) });
    build(infra.paths.repoRoot);
    const ctx = await buildStackContext(infra, { fresh: true });
    // In parallel, except that a service waits for those it calls at start (startAfter).
    const startAll = startInDependencyOrder(SERVICE_SPECS, (spec) =>
      stopping
        ? Promise.reject(new Error(`${spec.name}: not started, stopping`))
        : startService(spec, ctx, log),
    );
    starting = startAll;
    const results = await startAll;
    for (const result of results) if (result.status === 'fulfilled') started.push(result.value);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    if (stopping) return;
    printReady(ctx, (Date.now() - begun) / 1000);
    stopFollowing = followLogs(
      () =>
        Object.assign({}, ...started.map((service) => instanceLogFiles(paths, service.spec.name))) as Record<
          string,
          string
        >,
      log,
    );
  } catch (error) {
    log(`[stack] ${error instanceof Error ? error.message : String(error)}`);
    await shutdown('start failed', 1);
  }
}

/**
 * Starts every service as soon as the services it names in `startAfter` are ready (those
 * absent from a partial checkout are not waited for); settles like Promise.allSettled.
 */
export async function startInDependencyOrder<T>(
  specs: ServiceSpec[],
  start: (spec: ServiceSpec) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  const byName = new Map<string, Promise<T>>();
  const startOne = (spec: ServiceSpec): Promise<T> => {
    const known = byName.get(spec.name);
    if (known) return known;
    const before = (spec.startAfter ?? [])
      .map((name) => specs.find((other) => other.name === name))
      .filter((other): other is ServiceSpec => other !== undefined);
    const started = Promise.all(before.map(startOne)).then(() => start(spec));
    byName.set(spec.name, started);
    return started;
  };
  return Promise.allSettled(specs.map(startOne));
}

/** Builds every workspace package (incremental: seconds when nothing changed). */
function build(repoRoot: string): void {
  log('[stack] building (tsc -b)');
  const result = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error('the TypeScript build failed (see above)');
}

/** Where to look at traces: the UI when Jaeger serves one, else the query API and the way to a picture. */
export function jaegerLines(env: StackContext['infraEnv']): string[] {
  const query = env.JAEGER_QUERY_URL ?? '';
  if (env.JAEGER_UI_URL) {
    return [
      `traces (Jaeger UI) ${env.JAEGER_UI_URL}/search?service=order`,
      `traces (API)       ${env.JAEGER_UI_URL}/api/traces?service=order`,
    ];
  }
  if (!query) return ['traces            sent to OTEL_EXPORTER_OTLP_ENDPOINT (an external collector)'];
  return [
    `traces (Jaeger)   ${query}/api/traces?service=order  (query API; no UI build: \`npm run stack -- jaeger-ui\`)`,
    '                `npm run stack -- trace <trace id>` draws one as an HTML waterfall (docs/observability.md)',
  ];
}

function printReady(ctx: StackContext, seconds: number): void {
  const gateway = ctx.urls.gateway ?? '';
  log('');
  log(`[stack] Surge is up in ${seconds.toFixed(1)} s`);
  log(`[stack]   API (gateway)     ${gateway}        e.g. curl ${gateway}/health`);
  // The gateway starts last (service-specs.ts), so its readiness is the stack's.
  log(`[stack]   ready signal      ${gateway}/health/ready answers 200 (login, catalog and checkout work)`);
  log(`[stack]   API reference     ${gateway}/docs        OpenAPI document ${gateway}/docs/openapi.json`);
  if (ctx.urls.storefront) {
    log(
      `[stack]   shop (storefront) ${gateway}/        operations console ${gateway}/ops (admin@surge.local)`,
    );
  }
  for (const [name, url] of Object.entries(ctx.urls))
    if (name !== 'gateway') log(`[stack]   ${name.padEnd(17)} ${url}`);
  log(
    `[stack]   infrastructure    postgres ${new URL(ctx.infraEnv.SURGE_PG_ADMIN_URL).host}, redis ${new URL(ctx.infraEnv.REDIS_URL).host}, kafka ${ctx.infraEnv.KAFKA_BROKERS}`,
  );
  log(
    ctx.toxiproxyUrl
      ? `[stack]   network faults    on: services reach dependencies through Toxiproxy ${ctx.toxiproxyUrl} (npm run stack -- partition|toxic|heal)`
      : '[stack]   network faults    off (npm run stack -- up --network-faults turns them on)',
  );
  for (const line of jaegerLines(ctx.infraEnv)) log(`[stack]   ${line}`);
  log('[stack] streaming logs; Ctrl-C stops everything');
  log('');
}
