import { removeCpuGroup, removeStackCpuGroups } from '../native/cpu-quota';
import { stopRecordedInfra } from '../native/infra';
import { surgePaths } from '../native/paths';
import { isLiveService, readServiceRecords, removeServiceRecord } from '../services/service-records';
import { stopService } from '../services/supervisor';
import { removeUpstreamsFiles } from '../services/upstreams-file';

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `npm run stack -- down`: stops whatever Surge's run records say it started (every instance
 * of every service, then infrastructure), including what a crashed or killed `up` or a
 * `scale` from another terminal left behind. Never touches servers Surge did not start.
 */
export async function down(): Promise<void> {
  const paths = surgePaths();
  const records = readServiceRecords(paths);
  await Promise.all(
    records.map(async (record) => {
      if (isLiveService(record)) {
        log(`[stack] ${record.name}: stopping pid ${record.pid}`);
        await stopService(record, paths);
      } else {
        removeServiceRecord(paths, record.name);
        removeCpuGroup(record.cgroup);
      }
    }),
  );
  removeUpstreamsFiles(paths);
  removeStackCpuGroups(paths.stateDir);
  await stopRecordedInfra({ log, paths });
}
