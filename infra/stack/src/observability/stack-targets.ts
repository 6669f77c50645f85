import { JAEGER_HOST, jaegerPorts } from '../native/jaeger';
import { type SurgePaths } from '../native/paths';
import { readRunRecord } from '../native/run-state';
import { isLiveService, readServiceRecords } from '../services/service-records';

/** Jaeger's query API: JAEGER_QUERY_URL, else the one this clone's infrastructure runs. */
export function jaegerQueryUrl(paths: SurgePaths, env: NodeJS.ProcessEnv = process.env): string {
  if (env['JAEGER_QUERY_URL']) return env['JAEGER_QUERY_URL'];
  const port = readRunRecord(paths, 'jaeger')?.ports[2] ?? jaegerPorts(env).query;
  return `http://${JAEGER_HOST}:${port}`;
}

/** The gateway of the stack `npm run stack -- up` runs in this clone; a clear error when it is not up. */
export function runningGateway(paths: SurgePaths): string {
  const gateway = readServiceRecords(paths).find((record) => record.name === 'gateway');
  if (!gateway || !isLiveService(gateway))
    throw new Error(
      'the stack is not running in this clone: start it with `npm run stack -- up` (in another terminal)',
    );
  return gateway.url;
}
