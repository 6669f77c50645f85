import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { uniqueEmail } from '@surge/testing';

/**
 * The whole native stack, as `npm start` runs it: `stack up` in a child process on
 * ports of its own, the auth part of the contract through the gateway, then SIGINT.
 * Afterwards no service process and no service port may be left. Infrastructure the
 * test run already had (jest's global setup) is reused and must survive.
 */
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const PORTS = { gateway: 18080, user: 13001 };

function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs: number,
  output: string[],
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output.join('').slice(-4000)}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (pattern.test(output.join(''))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stack exited with ${code} before ${pattern}:\n${output.join('').slice(-4000)}`));
    });
  });
}

describe('pnpm stack up / Ctrl-C', () => {
  let stack: ChildProcess | undefined;
  const output: string[] = [];
  const gateway = `http://127.0.0.1:${PORTS.gateway}`;

  afterAll(() => {
    if (stack && stack.exitCode === null) stack.kill('SIGKILL');
  });

  it('serves the auth contract through the gateway, then stops leaving nothing behind', async () => {
    stack = spawn(process.execPath, [require.resolve('tsx/cli'), 'infra/stack/src/cli.ts', 'up'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        SURGE_GATEWAY_PORT: String(PORTS.gateway),
        SURGE_USER_PORT: String(PORTS.user),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForOutput(stack, /Surge is up/, 180_000, output);

    const health = await fetch(`${gateway}/health`);
    expect(health.status).toBe(200);

    const email = uniqueEmail('stack');
    const register = await fetch(`${gateway}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'long enough pw', name: 'Stack Test' }),
    });
    expect(register.status).toBe(201);
    const login = await fetch(`${gateway}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'long enough pw' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const me = await fetch(`${gateway}/api/users/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email, role: 'customer' });

    const exited = new Promise<number | null>((resolve) => stack!.once('exit', (code) => resolve(code)));
    stack.kill('SIGINT');
    expect(await exited).toBe(0);

    for (const port of Object.values(PORTS)) expect(await portIsOpen(port)).toBe(false);
    // The infrastructure belonged to the test run, not to this `up`: it must still answer.
    const redisPort = Number(new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379);
    expect(await portIsOpen(redisPort)).toBe(true);
  }, 240_000);
});
