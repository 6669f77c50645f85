import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { eventually, uniqueEmail } from '@surge/testing';
import { portIsOpen, spawnStack, type StackProcess } from '../src/chaos/stack-process';
import { TEST_ADMIN, offsetPorts, testStackEnv } from './support/stack-env';
import { stopStack } from './support/stop-stack';

/**
 * `npm start` as a newcomer meets it: a script that polls the gateway's /health/ready to
 * learn that Surge is up may use it at the first 200 (a login, a catalog read, a
 * checkout), and a second `npm start` while one runs, or a port some other program
 * holds, ends that start with a clear message and stops nothing it did not start.
 * Ports of its own (moved by SURGE_E2E_PORT_OFFSET) keep it clear of other stacks.
 */
const PORTS = offsetPorts({
  GATEWAY: 28080,
  USER: 23001,
  PRODUCT: 23002,
  ORDER: 23003,
  PAYMENT: 23004,
  NOTIFICATION: 23005,
  STOREFRONT: 23006,
  PAYMENT_PROVIDER: 23010,
});
const gateway = `http://127.0.0.1:${PORTS.GATEWAY}`;
const env = testStackEnv(PORTS, 'start');
// As if the developer's shell exported its own admin: the test's stack must not take it.
const shell = { ADMIN_EMAIL: process.env.ADMIN_EMAIL, ADMIN_PASSWORD: process.env.ADMIN_PASSWORD };

type Json = Record<string, unknown>;

async function api<T = Json>(method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { 'idempotency-key': randomUUID() };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${gateway}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The exit code of a stack process that is expected to end by itself. */
function exitOf(stack: StackProcess, timeoutMs = 120_000): Promise<number | null> {
  if (stack.child.exitCode !== null) return Promise.resolve(stack.child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stack.child.kill('SIGKILL');
      reject(new Error(`did not end within ${timeoutMs} ms:\n${stack.output.join('').slice(-3000)}`));
    }, timeoutMs);
    stack.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('npm start, from the first answer of its gateway on', () => {
  let first: StackProcess | undefined;

  beforeAll(() => {
    process.env.ADMIN_EMAIL = 'someone-else@example.test';
    process.env.ADMIN_PASSWORD = 'a password from the shell';
  });

  afterAll(async () => {
    for (const [name, value] of Object.entries(shell))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    await stopStack(first);
    fs.rmSync(env.SURGE_STATE_DIR!, { recursive: true, force: true });
  }, 90_000);

  it('when /health/ready first answers 200, a sign-up, a login, a catalog read and a checkout succeed', async () => {
    first = spawnStack(env);
    const stack = first;
    // From the very start, as a script waiting for Surge would: every 100 ms.
    const state = await eventually(
      async () => {
        if (stack.child.exitCode !== null) return 'the stack ended';
        const res = await fetch(`${gateway}/health/ready`).catch(() => undefined);
        await res?.body?.cancel();
        return res?.status === 200 && 'ready';
      },
      { timeoutMs: 600_000, intervalMs: 100, what: 'the gateway to be ready' },
    );
    if (state !== 'ready') throw new Error(`${state}:\n${stack.output.join('').slice(-5000)}`);

    const email = uniqueEmail('first-hour');
    const password = 'a long enough password';
    const signup = await api('POST', '/api/auth/register', { body: { email, password, name: 'First Hour' } });
    const login = await api<{ accessToken: string }>('POST', '/api/auth/login', {
      body: { email, password },
    });
    const catalog = await api<{ items: Array<{ id: string; stock: number }> }>(
      'GET',
      '/api/products?limit=20',
    );
    expect([signup.status, login.status, catalog.status]).toEqual([201, 200, 200]);
    const product = [...catalog.body.items].sort((a, b) => b.stock - a.stock)[0]!;
    const order = await api<{ status: string }>('POST', '/api/orders', {
      token: login.body.accessToken,
      body: {
        items: [{ productId: product.id, quantity: 1 }],
        shippingAddress: {
          name: 'First Hour',
          line1: '1 Ready Street',
          city: 'Arlington',
          postalCode: '22201',
          country: 'US',
        },
        payment: { token: 'tok_visa' },
      },
    });
    expect({ status: order.status, body: order.body }).toMatchObject({
      status: 201,
      body: { status: 'PAID' },
    });
  }, 660_000);

  it('a second start in the same clone says Surge is already running, exits non-zero, and stops nothing', async () => {
    const second = spawnStack(env);
    const code = await exitOf(second);
    const output = second.output.join('');
    expect(code).not.toBe(0);
    expect(output).toContain('Surge is already running');
    expect(output).toContain(gateway);
    expect(output).toMatch(/by process \d+/);
    expect(output).toContain('npm run stack -- down');
    expect(output).not.toMatch(/stopping/);
    // The first stack is whole: every service answers, a login works.
    for (const port of Object.values(PORTS)) expect(await portIsOpen(port)).toBe(true);
    expect(first!.child.exitCode).toBeNull();
    expect((await fetch(`${gateway}/health/ready`)).status).toBe(200);
    const login = await api('POST', '/api/auth/login', { body: TEST_ADMIN });
    expect(login.status).toBe(200);
  }, 180_000);

  it('a port held by another program fails a start at once, naming it, and that program keeps it', async () => {
    // Another clone's stack (own state folder, own ports), whose order port is taken.
    const ports = offsetPorts({
      GATEWAY: 28180,
      USER: 23101,
      PRODUCT: 23102,
      ORDER: 23103,
      PAYMENT: 23104,
      NOTIFICATION: 23105,
      STOREFRONT: 23106,
      PAYMENT_PROVIDER: 23110,
    });
    const foreign = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => foreign.listen(ports.ORDER, '127.0.0.1', resolve));
    const otherEnv = testStackEnv(ports, 'foreign');
    try {
      const other = spawnStack(otherEnv);
      const code = await exitOf(other);
      const output = other.output.join('');
      expect(code).not.toBe(0);
      expect(output).toContain(`order: port ${ports.ORDER} is in use`);
      expect(output).toContain('SURGE_ORDER_PORT');
      expect(foreign.listening).toBe(true);
      expect(await portIsOpen(ports.ORDER!)).toBe(true);
      for (const name of ['GATEWAY', 'USER', 'PRODUCT', 'PAYMENT'])
        expect(await portIsOpen(ports[name]!)).toBe(false);
      // The first stack is untouched as well.
      expect((await fetch(`${gateway}/health/ready`)).status).toBe(200);
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
      fs.rmSync(otherEnv.SURGE_STATE_DIR!, { recursive: true, force: true });
    }
  }, 180_000);
});
