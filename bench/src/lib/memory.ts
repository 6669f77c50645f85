import fs from 'node:fs';
import { readServiceRecords } from '@surge/stack/services';
import { readRunRecord, COMPONENTS, type SurgePaths } from '@surge/stack/native';

export interface ProcessMemory {
  pid: number;
  /** A short name: the service or daemon, else the program. */
  name: string;
  rssMb: number;
  pssMb: number;
}

export interface StackMemory {
  rssMb: number;
  /** Proportional set size: shared pages split between the processes sharing them; sums honestly. */
  pssMb: number;
  processes: ProcessMemory[];
}

/** Every pid with its parent, from /proc. */
function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name (2nd field) may hold spaces and parentheses: read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  return parents;
}

/**
 * The processes of one stack: the launcher's tree (npm, bootstrap, pnpm, the stack CLI),
 * and the daemons and services it started detached, found by the pid records in the
 * state dir (.surge/run), each with its own children (PostgreSQL's backends).
 */
export function stackPids(rootPid: number | null, paths: SurgePaths): Map<number, string> {
  const named = new Map<number, string>();
  for (const component of COMPONENTS) {
    const record = readRunRecord(paths, component);
    if (record) named.set(record.pid, component);
  }
  for (const record of readServiceRecords(paths)) named.set(record.pid, record.name);
  if (rootPid !== null) named.set(rootPid, 'launcher');
  const parents = parentsByPid();
  const result = new Map<number, string>();
  for (const pid of parents.keys()) {
    // Walk up to a root we know; its name labels the whole subtree.
    for (let cur: number | undefined = pid; cur !== undefined && cur > 1; cur = parents.get(cur)) {
      const root = named.get(cur);
      if (root !== undefined) {
        result.set(pid, cur === pid ? root : `${root}/${programOf(pid)}`);
        break;
      }
    }
  }
  return result;
}

function programOf(pid: number): string {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const script = args.find((a) => /\.(c?js|ts)$/.test(a));
    const program = (args[0] ?? '?').split('/').pop() ?? '?';
    return script ? `${program} ${script.split('/').slice(-2).join('/')}` : program;
  } catch {
    return '?';
  }
}

function rollup(pid: number): { rssKb: number; pssKb: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rssKb: kb('Rss'), pssKb: kb('Pss') };
  } catch {
    return null;
  }
}

/** RSS and PSS (from /proc/<pid>/smaps_rollup) of every process of the stack. */
export function measureStack(rootPid: number | null, paths: SurgePaths): StackMemory {
  const processes: ProcessMemory[] = [];
  for (const [pid, name] of stackPids(rootPid, paths)) {
    const m = rollup(pid);
    if (!m) continue;
    processes.push({ pid, name, rssMb: m.rssKb / 1024, pssMb: m.pssKb / 1024 });
  }
  processes.sort((a, b) => b.pssMb - a.pssMb);
  return {
    rssMb: processes.reduce((sum, p) => sum + p.rssMb, 0),
    pssMb: processes.reduce((sum, p) => sum + p.pssMb, 0),
    processes,
  };
}
