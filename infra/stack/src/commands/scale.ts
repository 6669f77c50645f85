import { DEFAULT_REFRESH_INTERVAL_MS } from '@surge/http-client';
import { ensureInfra } from '../native/infra';
import { sleep } from '../native/process';
import { liveInstances } from '../services/instance-control';
import { instanceName, parseScaleArgs } from '../services/instances';
import { indexOf } from '../services/service-records';
import {
  findSpec,
  instanceUrl,
  portOfInstance,
  serviceNames,
  type ServiceSpec,
  type StackContext,
} from '../services/service-specs';
import { buildStackContext } from '../services/stack-context';
import { limitCpu, startService, stopService } from '../services/supervisor';
import { saveScaledCpus, writeUpstreams } from '../services/upstreams-file';

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `npm run stack -- scale <service>=<N> [...] [--cpus <n>]`: makes N instances of each service
 * run on the native stack, next to a running `npm run stack -- up`. Instance i listens on the
 * service's port + 100·i. New instances start first and join the addresses file once
 * ready; instances beyond N leave the file first, then stop gracefully, highest index
 * first, once every caller has re-read it (one refresh interval), so no caller is sent
 * to an instance that is going away. `--cpus` gives every instance of the service its
 * own cgroup with that CPU quota (running ones too) and is remembered for later starts.
 */
export async function scale(args: string[]): Promise<void> {
  const request = parseScaleArgs(args, serviceNames());
  const infra = await ensureInfra({ log });
  const ctx = await buildStackContext(infra);
  for (const { service, count } of request.targets)
    await scaleService(findSpec(service), count, request.cpus, ctx);
}

async function scaleService(
  spec: ServiceSpec,
  count: number,
  cpus: number | undefined,
  ctx: StackContext,
): Promise<void> {
  const indexes = [...Array(count).keys()];
  // Every port is checked before anything starts: a refusal leaves the stack as it was.
  const urls = indexes.map((index) => instanceUrl(portOfInstance(spec, index)));
  if (cpus !== undefined) saveScaledCpus(ctx.paths, spec.name, cpus);
  const live = liveInstances(ctx.paths, spec.name);
  const running = new Set(live.map(indexOf));
  const results = await Promise.allSettled(
    indexes
      .filter((index) => !running.has(index))
      .map((index) => startService(spec, ctx, log, { index, ...(cpus === undefined ? {} : { cpus }) })),
  );
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    // All or nothing: the instances this call started go again, the file stays as it was.
    for (const result of results)
      if (result.status === 'fulfilled') await stopService(result.value.record, ctx.paths);
    throw failed.reason;
  }
  if (cpus !== undefined)
    for (const record of live.filter((entry) => indexOf(entry) < count)) limitCpu(record, ctx, cpus, log);
  writeUpstreams(ctx.paths, spec.name, urls);
  const surplus = live.filter((record) => indexOf(record) >= count).sort((a, b) => indexOf(b) - indexOf(a));
  if (surplus.length > 0) {
    const waitMs = DEFAULT_REFRESH_INTERVAL_MS + 1_000;
    log(
      `[stack] ${spec.name}: ${surplus.map((r) => r.name).join(', ')} left the addresses file; stopping in ${waitMs / 1000} s, once callers have re-read it`,
    );
    await sleep(waitMs);
    for (const record of surplus) {
      log(`[stack] ${record.name}: stopping (SIGTERM, graceful)`);
      await stopService(record, ctx.paths);
    }
  }
  log(
    `[stack] ${spec.name}: ${count} instance(s): ${indexes.map((index) => `${instanceName(spec.name, index)} ${urls[index]}`).join(', ') || 'none'}`,
  );
}
