import fs from 'node:fs';
import path from 'node:path';
import type { SurgePaths } from '../native/paths';
import { describePortOwner, isPortOpen } from '../native/ports';
import { commandLine, isAlive } from '../native/process';
import { isLiveService, readServiceRecords, removeServiceRecord } from './service-records';
import { SERVICE_HOST, portOf, portVariable, type ServiceSpec } from './service-specs';

/**
 * `.surge/run/stack.json`: which `up` runs this clone's services. Whoever did not start a
 * process must never stop it: a second `npm start` in the same clone finds the claim,
 * says where the running stack is and how to stop it, and changes nothing (it used to
 * fail on a taken port and then, stopping "its" services by run record, stop the first
 * stack's).
 */
export interface StackClaim {
  pid: number;
  gatewayUrl: string;
  startedAt: string;
  /** Found in the claimant's command line: a recycled pid is not a running stack. */
  marker: string;
}

export class StackAlreadyRunningError extends Error {
  override readonly name = 'StackAlreadyRunningError';
}

const claimFile = (paths: SurgePaths) => path.join(paths.runDir, 'stack.json');

/** The claim of a live `up` in this clone, or null (a stale claim is removed). */
export function liveStackClaim(paths: SurgePaths): StackClaim | null {
  let claim: StackClaim;
  try {
    claim = JSON.parse(fs.readFileSync(claimFile(paths), 'utf8')) as StackClaim;
  } catch {
    return null;
  }
  if (isAlive(claim.pid) && (commandLine(claim.pid)?.includes(claim.marker) ?? true)) return claim;
  fs.rmSync(claimFile(paths), { force: true });
  return null;
}

/**
 * Makes this process the clone's one running stack, or throws StackAlreadyRunningError
 * without touching anything: when another `up` holds the claim, or when services that an
 * earlier, killed `up` left behind still run (only `down` may stop those).
 */
export function claimStack(paths: SurgePaths, gatewayUrl: string): StackClaim {
  const claim: StackClaim = {
    pid: process.pid,
    gatewayUrl,
    startedAt: new Date().toISOString(),
    marker: path.basename(process.argv[1] ?? 'cli.ts'),
  };
  fs.mkdirSync(paths.runDir, { recursive: true });
  for (;;) {
    try {
      // O_EXCL: of two starts at the same moment, exactly one wins.
      fs.writeFileSync(claimFile(paths), `${JSON.stringify(claim, null, 2)}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = liveStackClaim(paths);
    if (holder) throw new StackAlreadyRunningError(alreadyRunning(holder));
  }
  const leftovers = readServiceRecords(paths).filter((record) => {
    if (isLiveService(record)) return true;
    // A record of a process that is gone: forget it, so no one ever signals its pid again.
    removeServiceRecord(paths, record.name);
    return false;
  });
  if (leftovers.length > 0) {
    releaseStack(paths, claim);
    throw new StackAlreadyRunningError(
      [
        'services of an earlier Surge stack still run in this clone, without the `up` that started them:',
        ...leftovers.map((record) => `  ${record.name}  pid ${record.pid}  ${record.url}`),
        'stop them with `npm run stack -- down`, then start again; this start changed nothing',
      ].join('\n'),
    );
  }
  return claim;
}

/** Gives the claim up, if it is still ours. */
export function releaseStack(paths: SurgePaths, claim: StackClaim): void {
  try {
    const current = JSON.parse(fs.readFileSync(claimFile(paths), 'utf8')) as StackClaim;
    if (current.pid === claim.pid && current.startedAt === claim.startedAt)
      fs.rmSync(claimFile(paths), { force: true });
  } catch {
    // No claim left: nothing to release.
  }
}

function alreadyRunning(holder: StackClaim): string {
  return [
    `Surge is already running in this clone: gateway ${holder.gatewayUrl}, started ${holder.startedAt} by process ${holder.pid}.`,
    'Use it as it is, or stop it first: Ctrl-C in its terminal, or `npm run stack -- down`.',
    'This start changed nothing.',
  ].join('\n');
}

/**
 * Every service port must be free before anything starts: a port some other program
 * holds fails the start at once, naming the holder, with nothing started or stopped.
 */
export async function assertServicePortsFree(specs: ServiceSpec[]): Promise<void> {
  const taken: string[] = [];
  for (const spec of specs) {
    const port = portOf(spec);
    if (await isPortOpen(SERVICE_HOST, port))
      taken.push(
        `  ${spec.name}: port ${port} is in use${describePortOwner(port)}; free it or set ${portVariable(spec)}`,
      );
  }
  if (taken.length > 0)
    throw new Error(['cannot start: a port Surge needs is taken by another program', ...taken].join('\n'));
}
