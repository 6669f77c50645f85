import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * CPU quotas per service instance, so that "an instance" means a machine of fixed size
 * for a scaling benchmark: each instance gets its own cgroup with `cpus` worth of CPU
 * time per period (0.5: 50 ms of every 100 ms). cgroup v1 (a `cpu` controller with
 * cpu.cfs_quota_us) and v2 (cpu.max) both work; where neither is writable (a container
 * without the right, a non-root user) instances run without a quota, and say so.
 */
export type CpuQuotaSupport =
  { kind: 'v1'; parent: string } | { kind: 'v2'; parent: string } | { kind: 'none'; reason: string };

export const CFS_PERIOD_US = 100_000;

/** What `cpus` becomes in the controller's files: v1's quota file, or v2's cpu.max line. */
export function quotaSetting(cpus: number, periodUs = CFS_PERIOD_US): { quotaUs: number; cpuMax: string } {
  const quotaUs = Math.max(1_000, Math.round(cpus * periodUs));
  return { quotaUs, cpuMax: `${quotaUs} ${periodUs}` };
}

/** The one line printed when instances must run without a quota. */
export function noQuotaMessage(reason: string): string {
  return `[stack] no writable cgroup cpu controller (${reason}); instances run without a CPU quota`;
}

/**
 * Finds a writable cpu controller and creates this stack's parent group in it
 * (`surge-<hash of the state dir>`, so two clones of Surge on one machine never share
 * one). Tries v1 first: on a hybrid machine v1 owns the cpu controller.
 */
export function detectCpuQuota(stateDir: string, root = '/sys/fs/cgroup'): CpuQuotaSupport {
  const name = stackGroupName(stateDir);
  const reasons: string[] = [];
  const v1 = path.join(root, 'cpu');
  if (fs.existsSync(path.join(v1, 'cpu.cfs_quota_us'))) {
    try {
      fs.mkdirSync(path.join(v1, name), { recursive: true });
      return { kind: 'v1', parent: path.join(v1, name) };
    } catch (error) {
      reasons.push(`v1 ${v1}: ${(error as Error).message}`);
    }
  } else reasons.push(`no v1 cpu controller at ${v1}`);
  const controllers = path.join(root, 'cgroup.controllers');
  if (fs.existsSync(controllers) && fs.readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu')) {
    try {
      const parent = path.join(root, name);
      // A child gets cpu.max only where its parent delegates the cpu controller.
      fs.writeFileSync(path.join(root, 'cgroup.subtree_control'), '+cpu');
      fs.mkdirSync(parent, { recursive: true });
      fs.writeFileSync(path.join(parent, 'cgroup.subtree_control'), '+cpu');
      return { kind: 'v2', parent };
    } catch (error) {
      reasons.push(`v2 ${root}: ${(error as Error).message}`);
    }
  } else reasons.push(`no v2 cpu controller at ${root}`);
  return { kind: 'none', reason: reasons.join('; ') };
}

function stackGroupName(stateDir: string): string {
  return `surge-${createHash('sha1').update(stateDir).digest('hex').slice(0, 8)}`;
}

/** Removes this stack's parent groups (v1 and v2), once `down` has stopped every instance. */
export function removeStackCpuGroups(stateDir: string, root = '/sys/fs/cgroup'): void {
  for (const parent of [path.join(root, 'cpu'), root]) {
    try {
      removeCpuGroup(path.join(parent, stackGroupName(stateDir)));
    } catch {
      // Still in use or not ours to remove: it is empty and costs nothing.
    }
  }
}

/**
 * Puts `pid` into the group `<parent>/<group>` limited to `cpus` CPUs; returns the
 * group's directory (recorded, so stopping the instance can remove it). Threads and
 * children the process starts later inherit the group.
 */
export function applyCpuQuota(
  support: Exclude<CpuQuotaSupport, { kind: 'none' }>,
  group: string,
  pid: number,
  cpus: number,
): string {
  const dir = path.join(support.parent, group);
  fs.mkdirSync(dir, { recursive: true });
  const { quotaUs, cpuMax } = quotaSetting(cpus);
  if (support.kind === 'v1') {
    fs.writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
    fs.writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(quotaUs));
  } else {
    fs.writeFileSync(path.join(dir, 'cpu.max'), cpuMax);
  }
  fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
  return dir;
}

/**
 * Removes an instance's group once its processes are gone (a group with members cannot
 * be removed; the caller stops the instance first). A group already gone is fine.
 */
export function removeCpuGroup(dir: string | undefined): void {
  if (!dir) return;
  // The kernel lets go of a process that just exited a moment later: EBUSY until then.
  for (let attempt = 0; ; attempt += 1) {
    try {
      fs.rmdirSync(dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || attempt >= 20) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}
