import fs from 'node:fs';
import { removeCpuGroup } from '../native/cpu-quota';
import { logFile, type SurgePaths } from '../native/paths';
import { waitForExit } from '../native/process';
import {
  indexOf,
  isLiveService,
  readServiceRecords,
  removeServiceRecord,
  serviceOf,
  type ServiceRecord,
} from './service-records';
import { listedInstanceCount } from './upstreams-file';

/** The running instances of `service` (all, or the one `index`), lowest index first. */
export function liveInstances(paths: SurgePaths, service: string, index?: number): ServiceRecord[] {
  return readServiceRecords(paths)
    .filter((record) => serviceOf(record) === service && (index === undefined || indexOf(record) === index))
    .filter(isLiveService)
    .sort((a, b) => indexOf(a) - indexOf(b));
}

/** How many instances `service` should have: what its addresses file lists (1 before any `up`). */
export function wantedCount(paths: SurgePaths, service: string): number {
  return listedInstanceCount(paths, service) ?? 1;
}

/**
 * SIGKILL to the instance's process group: a crash, with no chance to clean up. The
 * record goes (nothing runs any more); the addresses file keeps the instance, because a
 * crash is not a decision to have fewer instances.
 */
export async function killInstance(
  record: ServiceRecord,
  paths: SurgePaths,
  log: (line: string) => void,
): Promise<void> {
  log(`[stack] ${record.name}: SIGKILL pid ${record.pid}`);
  for (const target of [-record.pid, record.pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await waitForExit(record.pid, 5_000);
  removeServiceRecord(paths, record.name);
  removeCpuGroup(record.cgroup);
}

/** Log files of every instance of `service` that has one: `product.log`, `product.1.log`... */
export function instanceLogFiles(paths: SurgePaths, service: string): Record<string, string> {
  const files: Record<string, string> = { [service]: logFile(paths, service) };
  if (!fs.existsSync(paths.logsDir)) return files;
  const pattern = new RegExp(`^${service.replace(/[-]/g, '\\-')}\\.(\\d+)\\.log$`);
  for (const entry of fs.readdirSync(paths.logsDir)) {
    const match = pattern.exec(entry);
    if (match) files[`${service}/${match[1]}`] = logFile(paths, `${service}.${match[1]}`);
  }
  return files;
}
