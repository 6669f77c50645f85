import fs from 'node:fs';
import path from 'node:path';
import type { SurgePaths } from '../native/paths';
import { commandLine, isAlive } from '../native/process';

/**
 * `.surge/run/service-<name>.json` (`service-product.2.json` for `product/2`): lets
 * `down` and `ps` find every instance after a crash, whoever started it.
 */
export interface ServiceRecord {
  /** `product` or `product/2` (instances/instanceName). */
  name: string;
  /** Absent in records written before instances existed: then the name, instance 0. */
  service?: string;
  index?: number;
  pid: number;
  port: number;
  url: string;
  startedAt: string;
  logFile: string;
  /** Found in the process's command line; guards against a recycled pid. */
  marker: string;
  /** CPUs of its quota, and the cgroup that enforces it (removed when it stops). */
  cpus?: number;
  cgroup?: string;
}

const fileOf = (paths: SurgePaths, name: string) =>
  path.join(paths.runDir, `service-${name.replace('/', '.')}.json`);

export function serviceOf(record: ServiceRecord): string {
  return record.service ?? record.name;
}

export function indexOf(record: ServiceRecord): number {
  return record.index ?? 0;
}

export function writeServiceRecord(paths: SurgePaths, record: ServiceRecord): void {
  fs.mkdirSync(paths.runDir, { recursive: true });
  fs.writeFileSync(fileOf(paths, record.name), JSON.stringify(record, null, 2));
}

export function removeServiceRecord(paths: SurgePaths, name: string): void {
  fs.rmSync(fileOf(paths, name), { force: true });
}

export function readServiceRecords(paths: SurgePaths): ServiceRecord[] {
  if (!fs.existsSync(paths.runDir)) return [];
  return fs
    .readdirSync(paths.runDir)
    .filter((file) => file.startsWith('service-') && file.endsWith('.json'))
    .map((file) => JSON.parse(fs.readFileSync(path.join(paths.runDir, file), 'utf8')) as ServiceRecord);
}

/** Alive and still the program we started (pids get reused). */
export function isLiveService(record: ServiceRecord): boolean {
  return isAlive(record.pid) && (commandLine(record.pid)?.includes(record.marker) ?? false);
}
