import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { liveRecord } from '../native/daemon';
import { surgePaths } from '../native/paths';
import { SERVICE_SPECS, urlOf } from '../services/service-specs';

export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

export function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface StackProcess {
  child: ChildProcess;
  output: string[];
  /** SIGINT, as Ctrl-C sends it; resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

/**
 * `npm run stack -- up` in a child process, resolved once it prints that Surge is up. A
 * stack that is not up in time gets Ctrl-C (it stops what it started) before the error:
 * the caller has no handle on it yet, so nobody else would.
 */
export async function startStack(env: Record<string, string>, timeoutMs = 240_000): Promise<StackProcess> {
  const stack = spawnStack(env);
  const { child, output } = stack;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`stack not up within ${timeoutMs} ms:\n${output.join('').slice(-5000)}`));
    }, timeoutMs);
    const poll = setInterval(() => {
      if (/Surge is up/.test(output.join(''))) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`stack exited with ${code} during start:\n${output.join('').slice(-5000)}`));
    });
  });
  return stack;
}

/** `npm run stack -- up` in a child process, returned at once (its output collected). */
export function spawnStack(env: Record<string, string>): StackProcess {
  // tsx as a loader in this one process, as `npm start` runs it, not tsx's CLI: that
  // wrapper relays Ctrl-C to its child, and when the child has not confirmed within 30 ms
  // (a busy machine) it SIGKILLs it and exits 130, so the stack never stopped what it had
  // started and its services lived on after the test.
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/stack/src/cli.ts', 'up'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return {
    child,
    output,
    interrupt: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGINT');
      }),
  };
}

/** The gateway address of the stack these variables describe (SURGE_GATEWAY_PORT). */
export function gatewayUrl(): string {
  return urlOf(SERVICE_SPECS.find((spec) => spec.name === 'gateway')!);
}

/** Whether a stack answers on the gateway now. */
export async function gatewayAnswers(): Promise<boolean> {
  try {
    return (await fetch(`${gatewayUrl()}/health/live`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

/**
 * The stack a chaos or load run drives: the one that answers on the gateway already, or
 * one started for the run (returned, so the caller stops it after). One IP sends all the
 * traffic of such a run, so a started stack does not apply the per-IP login limit.
 */
/**
 * A run that needs network faults refuses a running stack that has them off, rather than
 * failing half way through (its proxies are made when services start).
 */
export function assertNetworkFaultsOn(): void {
  if (!liveRecord(surgePaths(), 'toxiproxy'))
    throw new Error(
      'the running stack has network faults off; stop it and run again (a stack is started with them on), or start it with `npm run stack -- up --network-faults`',
    );
}

/**
 * One IP (this machine) sends all the traffic of a chaos, load or fuzz run, so the per-IP
 * limits (logins, anonymous requests, refused tokens) would measure the limiter, not the
 * shop: they still run, but never reject. Per-user limits stay as they are. The refused-token
 * limit matters most to the fuzzer: its negative cases send bad tokens by the hundred, and
 * with the limit at its default every later request of its address that carried a token,
 * the valid ones included, was answered 429 unread for the rest of the minute.
 */
export const ONE_CLIENT_ADDRESS_LIMITS: Readonly<Record<string, string>> = {
  RATE_LIMIT_CREDENTIALS_MAX: '100000',
  RATE_LIMIT_IP_MAX: '1000000',
  RATE_LIMIT_BAD_TOKEN_MAX: '1000000',
};

export async function ensureStack(
  log: (line: string) => void,
  tag: string,
  options: { networkFaults?: boolean; databaseSuffix?: string } = {},
): Promise<StackProcess | undefined> {
  if (await gatewayAnswers()) return undefined;
  const faults = options.networkFaults === true;
  log(
    `[${tag}] no stack answers on ${gatewayUrl()}; starting one for this run${faults ? ' with network faults on' : ''}`,
  );
  return startStack({
    ...ONE_CLIENT_ADDRESS_LIMITS,
    LOG_LEVEL: 'warn',
    ...(faults ? { SURGE_NETWORK_FAULTS: 'on' } : {}),
    ...(options.databaseSuffix ? { SURGE_DATABASE_SUFFIX: options.databaseSuffix } : {}),
  });
}
