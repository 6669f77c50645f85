import fs from 'node:fs';

import { runCommand, which, isRoot } from './exec';
import { InfraError, componentLog, type Log } from './log';
import { type SurgePaths, logFile } from './paths';
import { tailFile } from './process';

const POLICY_RC_D = '/usr/sbin/policy-rc.d';
const OUR_POLICY = [
  '#!/bin/sh',
  '# Written by Surge (infra/stack/src/native/apt.ts) for the length of an apt-get install:',
  '# exit 101 tells Debian maintainer scripts not to start services (the postgresql and',
  '# redis-server packages would otherwise take ports 5432 and 6379). Safe to delete.',
  'exit 101',
  '',
].join('\n');

let updated = false;
// apt/dpkg take a global lock: installs from parallel starters must queue, not collide.
let queue: Promise<unknown> = Promise.resolve();

export interface AptOptions {
  log: Log;
  paths: SurgePaths;
  /** Which component needs them, for messages. */
  component: string;
}

/** The command a user without root should run instead. */
export function aptCommandFor(packages: readonly string[]): string {
  return `sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

/**
 * Installs Debian packages, without letting their maintainer scripts start system
 * services. Only root can do this; anyone else gets the exact command to run.
 */
export function aptInstall(packages: readonly string[], opts: AptOptions): Promise<void> {
  const wanted = [...new Set(packages)];
  if (wanted.length === 0) return Promise.resolve();
  const next = queue.then(() => install(wanted, opts));
  queue = next.catch(() => undefined);
  return next;
}

async function install(packages: string[], opts: AptOptions): Promise<void> {
  const log = componentLog(opts.log, opts.component);
  const missing = packages.filter((p) => !isInstalled(p));
  if (missing.length === 0) return;
  if (!which('apt-get')) {
    throw new InfraError(
      opts.component,
      `needs the Debian packages ${missing.join(', ')} but this machine has no apt-get`,
      'install the equivalent packages with your package manager (see docs/running-natively.md)',
    );
  }
  if (!isRoot()) {
    throw new InfraError(
      opts.component,
      `needs the Debian packages ${missing.join(', ')}, and installing them needs root`,
      `run: ${aptCommandFor(missing)}\n     then stop the system services it may start: sudo systemctl disable --now postgresql redis-server`,
    );
  }
  const aptLog = logFile(opts.paths, 'apt');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = async (args: string[], what: string): Promise<void> => {
    const res = await runCommand('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], {
      env,
      logFile: aptLog,
      heartbeat: { log, what },
    });
    if (res.code !== 0) {
      throw new InfraError(
        opts.component,
        `apt-get ${args[0]} failed (exit ${res.code}):\n${tailFile(aptLog, 20)}`,
        `see ${aptLog}; the same command by hand: ${aptCommandFor(missing)}`,
      );
    }
  };
  const restorePolicy = blockServiceStarts();
  try {
    if (!updated) {
      log('apt-get update (once)');
      await apt(['update'], 'running apt-get update');
      updated = true;
    }
    log(`installing Debian packages: ${missing.join(' ')} (log: ${aptLog})`);
    await apt(['install', '-y', '--no-install-recommends', ...missing], `installing ${missing.join(' ')}`);
    log(`installed ${missing.join(' ')}`);
  } finally {
    restorePolicy();
  }
}

function isInstalled(pkg: string): boolean {
  try {
    const status = fs.readFileSync('/var/lib/dpkg/status', 'utf8');
    const block = status.split('\n\n').find((b) => b.startsWith(`Package: ${pkg}\n`));
    return block !== undefined && /^Status: install ok installed$/m.test(block);
  } catch {
    return false;
  }
}

/**
 * Writes policy-rc.d for the install and returns the undo. An admin's own policy-rc.d is
 * put back byte for byte; one left behind by a crashed run of ours is removed. The undo
 * also runs if the process exits mid-install (Ctrl-C), since it is synchronous.
 */
function blockServiceStarts(): () => void {
  let previous: { content: Buffer; mode: number } | null = null;
  if (fs.existsSync(POLICY_RC_D)) {
    const content = fs.readFileSync(POLICY_RC_D);
    if (content.toString('utf8') !== OUR_POLICY)
      previous = { content, mode: fs.statSync(POLICY_RC_D).mode & 0o7777 };
  }
  fs.writeFileSync(POLICY_RC_D, OUR_POLICY, { mode: 0o755 });
  fs.chmodSync(POLICY_RC_D, 0o755);
  let done = false;
  const undo = (): void => {
    if (done) return;
    done = true;
    process.removeListener('exit', undo);
    if (previous) {
      fs.writeFileSync(POLICY_RC_D, previous.content);
      fs.chmodSync(POLICY_RC_D, previous.mode);
    } else {
      fs.rmSync(POLICY_RC_D, { force: true });
    }
  };
  process.on('exit', undo);
  return undo;
}
