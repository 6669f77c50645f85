import fs from 'node:fs';

/** Linux reports CPU times in clock ticks of 1/100 s (USER_HZ) in /proc/stat and /proc/<pid>/stat. */
const TICKS_PER_SECOND = 100;

/**
 * Busy CPU seconds of the whole machine so far, from the `cpu` line of /proc/stat: every
 * state but idle and iowait (user, nice, system, irq, softirq, steal). A difference of two
 * readings is what every process together used in between: services, PostgreSQL, Redis,
 * Kafka, the kernel's network work for them, and the load generator (subtract it).
 */
export function parseBusySeconds(procStat: string): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('no cpu line in /proc/stat');
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

export function machineBusySeconds(): number {
  return parseBusySeconds(fs.readFileSync('/proc/stat', 'utf8'));
}

/** The load generator's own CPU seconds (this process: user + system). */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** A named set of processes, recognised by their command line (`/proc/<pid>/cmdline`, NULs as spaces). */
export interface ProcessGroup {
  name: string;
  matches(commandLine: string): boolean;
}

/** User + system seconds of one process from its /proc/<pid>/stat line (fields after the command). */
export function parseProcessSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * CPU seconds used so far by each group's processes, each process counted in the first group
 * that matches it. A process that exits between two readings drops out of the second, so
 * compare readings of long-running daemons and services only.
 */
export function cpuSecondsByGroup(groups: ProcessGroup[]): Map<string, number> {
  const totals = new Map(groups.map((group) => [group.name, 0]));
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const commandLine = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const group = groups.find((g) => g.matches(commandLine));
      if (!group) continue;
      const seconds = parseProcessSeconds(fs.readFileSync(`/proc/${entry}/stat`, 'utf8'));
      totals.set(group.name, (totals.get(group.name) ?? 0) + seconds);
    } catch {
      // exited meanwhile
    }
  }
  return totals;
}

/**
 * The stack's processes as the native stack starts them: one group per service (its
 * sources or build under services/<name>/), then the infrastructure daemons.
 */
export function stackGroups(services: string[]): ProcessGroup[] {
  const service = (name: string): ProcessGroup => ({
    name,
    matches: (commandLine) => commandLine.includes(`services/${name}/`),
  });
  const daemon = (name: string, pattern: RegExp): ProcessGroup => ({
    name,
    matches: (commandLine) => pattern.test(commandLine),
  });
  return [
    ...services.map(service),
    daemon('postgres', /(^|\/)postgres(:| )/),
    daemon('redis', /(^|\/)redis-server /),
    daemon('kafka', /kafka\.Kafka|kafka-server|KafkaRaftServer/),
    daemon('jaeger', /(^|\/)jaeger/),
    daemon('mailpit', /(^|\/)mailpit/),
  ];
}

/** Differences of two group readings, in milliseconds per unit of work. */
export function perUnitMs(before: Map<string, number>, after: Map<string, number>, units: number) {
  return [...after].map(([name, seconds]) => ({
    name,
    msPerUnit: units > 0 ? ((seconds - (before.get(name) ?? 0)) * 1000) / units : Number.NaN,
  }));
}
