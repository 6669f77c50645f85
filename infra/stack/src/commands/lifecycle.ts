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
import { isLiveService, readServiceRecords, removeServiceRecord } from '../services/service-records';
import { SERVICE_SPECS } from '../services/service-specs';
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
 * `pnpm stack kill|stop|start|restart <name>`: the chaos toolbox's basic moves, for a
 * service (user, product, order, payment, payment-provider, notification, gateway) or
 * infrastructure (postgres, redis, kafka, mailpit). `kill` is SIGKILL (a crash: no
 * graceful shutdown); `stop` is the graceful stop; `start` brings it back with the same
 * configuration `up` gives it. A running `pnpm stack up` keeps streaming its logs and
 * still stops it on Ctrl-C.
 */
export async function lifecycle(verb: LifecycleVerb, args: string[]): Promise<void> {
  const name = args[0];
  const known = [...SERVICE_SPECS.map((spec) => spec.name), ...COMPONENTS];
  if (!name || !known.includes(name)) throw new Error(`usage: pnpm stack ${verb} <${known.join('|')}>`);
  if (verb === 'kill' || verb === 'stop' || verb === 'restart') await halt(name, verb === 'kill');
  if (verb === 'start' || verb === 'restart') await bringUp(name);
}

async function halt(name: string, crash: boolean): Promise<void> {
  const paths = surgePaths();
  if (isComponent(name)) {
    const record = readRunRecord(paths, name);
    if (!record || !isAlive(record.pid)) {
      log(`[stack] ${name}: not running (not started by Surge)`);
      return;
    }
    if (crash) return killGroup(name, record.pid);
    await stopRecorded(paths, name, (line) => log(`[infra] ${name}: ${line}`));
    return;
  }
  const record = readServiceRecords(paths).find((entry) => entry.name === name);
  if (!record || !isLiveService(record)) {
    log(`[stack] ${name}: not running`);
    return;
  }
  if (crash) {
    await killGroup(name, record.pid);
    removeServiceRecord(paths, name);
    return;
  }
  log(`[stack] ${name}: stopping (SIGTERM, graceful)`);
  await stopService(record, paths);
  log(`[stack] ${name}: stopped`);
}

/** SIGKILL to the process group: a crash, with no chance to clean up (children too). */
async function killGroup(name: string, pid: number): Promise<void> {
  log(`[stack] ${name}: SIGKILL pid ${pid}`);
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await waitForExit(pid, 5_000);
}

async function bringUp(name: string): Promise<void> {
  if (isComponent(name)) {
    await ENSURE[name]({ log });
    return;
  }
  const spec = SERVICE_SPECS.find((entry) => entry.name === name)!;
  const infra = await ensureInfra({ log });
  const started = await startService(spec, await buildStackContext(infra), log);
  log(`[stack] ${name}: ready on ${started.record.url} (pid ${started.record.pid})`);
}
