/**
 * Naming and addressing of a service's instances on the native stack. Instance 0 is
 * the service itself (`product`, on the service's port); instance i is `product/i`,
 * on the service's port + 100·i, so an address says which instance it is and stays
 * the same across restarts (an instance that comes back is the one clients know).
 */

/** Ports between one instance and the next of the same service. */
export const INSTANCE_PORT_STEP = 100;

export interface InstanceRef {
  service: string;
  /** Undefined when the name had no `/i`: every instance of the service. */
  index: number | undefined;
}

/** `product` or `product/2`; anything else is an error that names what would do. */
export function parseInstanceName(name: string, services: readonly string[]): InstanceRef {
  const match = /^([a-z][a-z-]*)(?:\/(\d{1,3}))?$/.exec(name);
  const service = match?.[1];
  if (!match || !service || !services.includes(service))
    throw new Error(
      `unknown service instance "${name}"; one of ${services.join(', ')}, optionally with /<index>`,
    );
  return { service, index: match[2] === undefined ? undefined : Number(match[2]) };
}

/** `product` for instance 0 (what `up` has always started), `product/i` for the others. */
export function instanceName(service: string, index: number): string {
  return index === 0 ? service : `${service}/${index}`;
}

/** `product.2`: the name in file names (records, logs, cgroups). */
export function instanceFileName(service: string, index: number): string {
  return index === 0 ? service : `${service}.${index}`;
}

/**
 * The port of instance `index`: the service's port + 100·index. Refuses a port outside
 * the range or one that is another service's own port, so the rule never silently
 * hands out an address someone else owns; `scale` also checks that nothing listens there.
 */
export function instancePort(basePort: number, index: number, servicePorts: readonly number[]): number {
  const port = basePort + INSTANCE_PORT_STEP * index;
  if (index === 0) return basePort;
  if (port > 65535)
    throw new Error(`instance ${index} would need port ${port}, beyond 65535; scale to fewer`);
  if (servicePorts.includes(port))
    throw new Error(
      `instance ${index} would take port ${port}, which is another service's; move that service`,
    );
  return port;
}

export interface ScaleRequest {
  targets: Array<{ service: string; count: number }>;
  /** CPUs per instance (`--cpus 0.5`): each instance in its own cgroup with that quota. */
  cpus: number | undefined;
}

const SCALE_USAGE = 'usage: npm run stack -- scale <service>=<N> [<service>=<N> ...] [--cpus <n>]';

/** `product=3 order=2 --cpus 0.5`. */
export function parseScaleArgs(args: readonly string[], services: readonly string[]): ScaleRequest {
  const targets: ScaleRequest['targets'] = [];
  let cpus: number | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--cpus') {
      cpus = parseCpus(args[i + 1], '--cpus');
      i += 1;
      continue;
    }
    const match = /^([a-z][a-z-]*)=(\d+)$/.exec(arg);
    if (!match) throw new Error(`"${arg}" is not <service>=<N>\n${SCALE_USAGE}`);
    const service = match[1]!;
    if (!services.includes(service))
      throw new Error(`unknown service "${service}"; one of ${services.join(', ')}`);
    const count = Number(match[2]);
    if (count > 20) throw new Error(`${service}=${count}: at most 20 instances per service`);
    targets.push({ service, count });
  }
  if (targets.length === 0) throw new Error(SCALE_USAGE);
  return { targets, cpus };
}

/** A positive number of CPUs (fractions allowed), from `--cpus` or `SURGE_<SERVICE>_CPUS`. */
export function parseCpus(raw: string | undefined, what: string): number {
  const cpus = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isFinite(cpus) || cpus <= 0 || cpus > 1024)
    throw new Error(`${what} takes a positive number of CPUs (e.g. 0.5), got ${raw ?? 'nothing'}`);
  return cpus;
}

/** `SURGE_PRODUCT_CPUS`, `SURGE_PAYMENT_PROVIDER_CPUS`. */
export function cpusVariable(service: string): string {
  return `SURGE_${service.toUpperCase().replace(/-/g, '_')}_CPUS`;
}
