import fs from 'node:fs';

const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) used so far by a process and its children (nginx's worker
 * is its master's child; taskset execs in place). Per request, it is a cost that a busy
 * machine distorts far less than a throughput.
 */
export function cpuSecondsOfTree(rootPid: number): number {
  let total = 0;
  for (const pid of treeOf(rootPid)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After the command: state(0) ppid(1) ... utime(11) stime(12).
      total += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

function treeOf(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const result: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    result.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return result;
}
