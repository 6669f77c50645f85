import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** What a figure was measured on: the same code on another machine gives other numbers. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
  commit: string;
  /** 1-minute load average before the run: above ~0.5 the machine was not quiet. */
  loadBefore: number;
}

export function describeMachine(): MachineInfo {
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    node: process.version,
    commit: gitCommit(),
    loadBefore: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}
