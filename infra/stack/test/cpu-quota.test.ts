import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  applyCpuQuota,
  CFS_PERIOD_US,
  detectCpuQuota,
  noQuotaMessage,
  quotaSetting,
  removeCpuGroup,
} from '../src/native/cpu-quota';

/**
 * CPU quotas against the machine's real cgroup filesystem: where a cpu controller is
 * writable, a real process is limited and the group removed; where none is, the
 * fallback is what a user sees.
 */
describe('the quota a number of CPUs becomes', () => {
  it('is that share of each period, in both controller formats', () => {
    expect(quotaSetting(0.5)).toEqual({ quotaUs: 50_000, cpuMax: `50000 ${CFS_PERIOD_US}` });
    expect(quotaSetting(2)).toEqual({ quotaUs: 200_000, cpuMax: `200000 ${CFS_PERIOD_US}` });
  });

  it('never goes below the kernel minimum of 1 ms', () => {
    expect(quotaSetting(0.001).quotaUs).toBe(1_000);
  });
});

describe('an instance with a CPU quota', () => {
  let child: ChildProcess | undefined;
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-cpu-quota-'));

  afterEach(() => {
    child?.kill('SIGKILL');
  });

  afterAll(() => {
    const support = detectCpuQuota(stateDir);
    if (support.kind !== 'none') removeCpuGroup(support.parent);
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('runs in a group of its own with that quota, removed once it has stopped', async () => {
    const support = detectCpuQuota(stateDir);
    if (support.kind === 'none') {
      // No writable controller here: the one line a user reads, naming why.
      expect(noQuotaMessage(support.reason)).toMatch(
        /^\[stack\] no writable cgroup cpu controller \(.+\); instances run without a CPU quota$/,
      );
      return;
    }
    child = spawn(process.execPath, ['-e', 'setTimeout(() => undefined, 30_000)'], { stdio: 'ignore' });
    const pid = child.pid!;

    const dir = applyCpuQuota(support, 'product.1', pid, 0.5);

    expect(fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n')).toContain(String(pid));
    if (support.kind === 'v1') {
      expect(fs.readFileSync(path.join(dir, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('50000');
      expect(fs.readFileSync(path.join(dir, 'cpu.cfs_period_us'), 'utf8').trim()).toBe(String(CFS_PERIOD_US));
    } else {
      expect(fs.readFileSync(path.join(dir, 'cpu.max'), 'utf8').trim()).toBe(`50000 ${CFS_PERIOD_US}`);
    }

    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    removeCpuGroup(dir);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
