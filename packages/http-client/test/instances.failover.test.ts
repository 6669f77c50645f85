import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DependencyError } from '@surge/errors';
import { eventually } from '@surge/testing';
import { ServiceClient, type ServiceClientEvent, type ServiceClientOptions } from '../src';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * ServiceClient over several instances: real servers on port 0, and a port where nothing
 * listens standing for a crashed instance (connections are refused).
 */
const servers: TestServer[] = [];
const clients: ServiceClient[] = [];
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-instances-'));
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A port that was free a moment ago: nothing listens there, so connecting is refused. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function healthyServers(count: number): Promise<TestServer[]> {
  const started = await Promise.all(
    [...Array(count).keys()].map(() => startTestServer(() => ({ status: 200 }))),
  );
  servers.push(...started);
  return started;
}

function client(baseUrl: string, options: Partial<ServiceClientOptions> = {}): ServiceClient {
  const created = new ServiceClient({ name: 'product', baseUrl, timeoutMs: 2_000, ...options });
  clients.push(created);
  return created;
}

describe('a client of several instances', () => {
  it('spreads its calls over every instance', async () => {
    const [a, b, c] = await healthyServers(3);
    const products = client([a!.url, b!.url, c!.url].join(','));

    for (let i = 0; i < 60; i += 1) await products.call({ path: '/api/products' });

    for (const server of [a!, b!, c!]) expect(server.hits.length).toBeGreaterThan(5);
  });

  it('sends an idempotent call to another instance when the connection to one is refused', async () => {
    const [alive] = await healthyServers(1);
    const events: ServiceClientEvent[] = [];
    const products = client(`${await deadUrl()},${alive!.url}`, { onEvent: (event) => events.push(event) });

    const answers = await Promise.all(
      [...Array(20).keys()].map(() => products.call({ method: 'GET', path: '/api/products/1' })),
    );

    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(alive!.hits).toHaveLength(20);
    expect(events.some((event) => event.type === 'failover')).toBe(true);
  });

  it('fails over a POST that carries an Idempotency-Key, or is marked idempotent', async () => {
    const [alive] = await healthyServers(1);
    const products = client(`${await deadUrl()},${alive!.url}`, { ejection: noEjection });

    for (let i = 0; i < 10; i += 1) {
      await products.call({
        method: 'POST',
        path: '/reserve',
        body: {},
        headers: { 'Idempotency-Key': `k${i}` },
      });
      await products.call({ method: 'POST', path: '/reserve', body: {}, idempotent: true });
    }

    expect(alive!.hits).toHaveLength(20);
  });

  it('never repeats a POST without a key: the refused call fails as unavailable', async () => {
    const [alive] = await healthyServers(1);
    const products = client(`${await deadUrl()},${alive!.url}`, { ejection: noEjection });

    const outcomes = await Promise.allSettled(
      [...Array(20).keys()].map(() => products.call({ method: 'POST', path: '/orders', body: {} })),
    );

    const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    for (const outcome of failed)
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(DependencyError);
    expect(alive!.hits.length).toBe(20 - failed.length);
  });

  it('follows its addresses file: an instance added there gets calls, one removed gets none', async () => {
    const [first, second] = await healthyServers(2);
    const file = path.join(dir, 'product');
    fs.writeFileSync(file, `${first!.url}\n`);
    const products = client(pathToFileURL(file).href, { refreshIntervalMs: 50 });

    await products.call({ path: '/a' });
    fs.writeFileSync(file, `${first!.url}\n${second!.url}\n`);
    // Polled, not waited for: on a loaded machine the 50 ms refresh may come late.
    await eventually(async () => {
      await products.call({ path: '/b' });
      return second!.hits.length > 0;
    });

    fs.writeFileSync(file, `${second!.url}\n`);
    // Once ten calls in a row missed the removed instance the file was read; none after may reach it.
    await eventually(async () => {
      const missed = first!.hits.length;
      for (let i = 0; i < 10; i += 1) await products.call({ path: '/c' });
      return first!.hits.length === missed;
    });
    const before = first!.hits.length;
    for (let i = 0; i < 20; i += 1) await products.call({ path: '/c' });
    expect(first!.hits.length).toBe(before);
  });

  it('with an addresses file that lists nobody, fails as unavailable instead of hanging', async () => {
    const file = path.join(dir, 'product');
    fs.writeFileSync(file, '# scaled to zero\n');
    const products = client(pathToFileURL(file).href);

    await expect(products.call({ path: '/api/products' })).rejects.toBeInstanceOf(DependencyError);
  });
});

const noEjection = { consecutiveFailures: 1_000, baseMs: 1, maxMs: 1, maxEjectedPercent: 0 };
