import type { SurgePaths } from '../native/paths';
import { isLiveService, readServiceRecords } from './service-records';

/** One running process of a service, as the stack's verbs address it. */
export interface ServiceInstance {
  /** `order`, or `product/2` when a service runs several instances. */
  label: string;
  url: string;
  pid: number;
}

/**
 * The records of a service: its running instances, in a stable order. The one place the
 * fault and network verbs read service records, so a change in how instances are
 * recorded is made here only.
 */
export function instancesOf(paths: SurgePaths, service: string): ServiceInstance[] {
  const live = readServiceRecords(paths)
    .filter((record) => record.name === service && isLiveService(record))
    .sort((a, b) => a.port - b.port);
  return live.map((record, index) => ({
    label: live.length > 1 ? `${service}/${index + 1}` : service,
    url: record.url,
    pid: record.pid,
  }));
}

/** `product` (every instance) or `product/2` (the second one): the service and the instances meant. */
export function selectInstances(
  paths: SurgePaths,
  target: string,
): { service: string; instances: ServiceInstance[]; all: ServiceInstance[] } {
  const [service = '', index] = target.split('/');
  const all = instancesOf(paths, service);
  if (index === undefined) return { service, instances: all, all };
  const n = Number(index);
  const one = Number.isInteger(n) && n >= 1 ? all[n - 1] : undefined;
  return { service, instances: one ? [one] : [], all };
}
