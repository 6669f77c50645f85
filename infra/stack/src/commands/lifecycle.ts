import { stopRecorded } from '../native/daemon';
import { ensureInfra } from '../native/infra';
import { ensureJaeger } from '../native/jaeger';
import { ensureKafka } from '../native/kafka';
import { ensureMailpit } from '../native/mailpit';
import { COMPONENTS, surgePaths, type Component } from '../native/paths';
import { ensurePostgres } from '../native/postgres';
import { isAlive, waitForExit } from '../native/process';
import { ensureRedis } from '../native/redis';
import { ensureToxiproxy } from '../native/toxiproxy';
import { readRunRecord } from '../native/run-state';
import { killInstance, liveInstances, wantedCount } from '../services/instance-control';
import { instanceName, parseInstanceName, type InstanceRef } from '../services/instances';
import { indexOf } from '../services/service-records';
import { findSpec, serviceNames } from '../services/service-specs';
import { buildStackContext } from '../services/stack-context';
import { startService, stopService } from '../services/supervisor';

const log = (line: string) => process.stdout.write(`${line}\n`);

export type LifecycleVerb = 'kill' | 'stop' | 'start' | 'restart';

const ENSURE: Record<Component, (opts: { log: typeof log }) => Promise<unknown>> = {
  postgres: ensurePostgres,
  redis: ensureRedis,
  kafka: ensureKafka,
  mailpit: ensureMailpit,
  jaeger: ensureJaeger,
  toxiproxy: ensureToxiproxy,
};

function isComponent(name: string): name is Component {
  return (COMPONENTS as readonly string[]).includes(name);
}

/**
 * `npm run stack -- kill|stop|start|restart <name>`: the chaos toolbox's basic moves, for a
 * service (user, product, order, payment, payment-provider, notification, gateway), one
 * instance of it (`product/2`), or infrastructure (postgres, redis, kafka, mailpit). A
 * service name without `/i` means every instance. `kill` is SIGKILL (a crash: no
 * graceful shutdown); `stop` is the graceful stop; `start` brings instances back with the
 * same configuration (port, CPU quota) `up` and `scale` gave them. Neither changes the
 * addresses files: callers keep the instance and find out by health checks and ejection.
 * A running `npm run stack -- up` keeps streaming its logs and still stops it on Ctrl-C.
 */
export async function lifecycle(verb: LifecycleVerb, args: string[]): Promise<void> {
  const name = args[0];
  const services = serviceNames();
  const known = [...services, ...COMPONENTS];
  if (!name) throw new Error(`usage: npm run stack -- ${verb} <${known.join('|')}>[/<instance>]`);
  if (isComponent(name)) {
    if (verb === 'kill' || verb === 'stop' || verb === 'restart') await haltComponent(name, verb === 'kill');
    if (verb === 'start' || verb === 'restart') await ENSURE[name]({ log });
    return;
  }
  const ref = parseInstanceName(name, services);
  if (verb === 'kill' || verb === 'stop' || verb === 'restart') await halt(ref, verb === 'kill');
  if (verb === 'start' || verb === 'restart') await bringUp(ref);
}

async function haltComponent(name: Component, crash: boolean): Promise<void> {
  const paths = surgePaths();
  const record = readRunRecord(paths, name);
  if (!record || !isAlive(record.pid)) {
    log(`[stack] ${name}: not running (not started by Surge)`);
    return;
  }
  if (crash) {
    log(`[stack] ${name}: SIGKILL pid ${record.pid}`);
    for (const target of [-record.pid, record.pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await waitForExit(record.pid, 5_000);
    return;
  }
  await stopRecorded(paths, name, (line) => log(`[infra] ${name}: ${line}`));
}

async function halt(ref: InstanceRef, crash: boolean): Promise<void> {
  const paths = surgePaths();
  const records = liveInstances(paths, ref.service, ref.index);
  if (records.length === 0) {
    log(
      `[stack] ${ref.index === undefined ? ref.service : instanceName(ref.service, ref.index)}: not running`,
    );
    return;
  }
  // Every instance at once: `kill payment` is an outage of payment, not a slow decline.
  await Promise.all(
    records.map(async (record) => {
      if (crash) return killInstance(record, paths, log);
      log(`[stack] ${record.name}: stopping (SIGTERM, graceful)`);
      await stopService(record, paths);
      log(`[stack] ${record.name}: stopped`);
    }),
  );
}

async function bringUp(ref: InstanceRef): Promise<void> {
  const infra = await ensureInfra({ log });
  const ctx = await buildStackContext(infra);
  const wanted = wantedCount(ctx.paths, ref.service);
  if (ref.index !== undefined && ref.index >= wanted)
    throw new Error(
      `${ref.service} has ${wanted} instance(s) (0..${wanted - 1}); \`npm run stack -- scale ${ref.service}=${ref.index + 1}\` adds more`,
    );
  const running = new Set(liveInstances(ctx.paths, ref.service).map(indexOf));
  const indexes = (ref.index === undefined ? [...Array(wanted).keys()] : [ref.index]).filter(
    (index) => !running.has(index),
  );
  if (wanted === 0)
    log(`[stack] ${ref.service}: scaled to 0; \`npm run stack -- scale ${ref.service}=1\` starts one`);
  else if (indexes.length === 0) log(`[stack] ${ref.service}: already running`);
  const spec = findSpec(ref.service);
  const results = await Promise.allSettled(indexes.map((index) => startService(spec, ctx, log, { index })));
  for (const result of results) {
    if (result.status === 'fulfilled')
      log(
        `[stack] ${result.value.record.name}: ready on ${result.value.record.url} (pid ${result.value.record.pid})`,
      );
  }
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}
