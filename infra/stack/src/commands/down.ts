import { stopRecordedInfra } from '../native/infra';
import { surgePaths } from '../native/paths';
import { isLiveService, readServiceRecords, removeServiceRecord } from '../services/service-records';
import { stopService } from '../services/supervisor';

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `pnpm stack down`: stops whatever Surge's run records say it started (services, then
 * infrastructure), including what a crashed or killed `up` left behind. Never touches
 * servers Surge did not start.
 */
export async function down(): Promise<void> {
  const paths = surgePaths();
  for (const record of readServiceRecords(paths)) {
    if (isLiveService(record)) {
      log(`[stack] ${record.name}: stopping pid ${record.pid}`);
      await stopService(record, paths);
    } else {
      removeServiceRecord(paths, record.name);
    }
  }
  await stopRecordedInfra({ log, paths });
}
