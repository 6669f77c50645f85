import { performance } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import { DependencyError } from '@surge/errors';
import {
  DEFAULT_RETRY,
  ServiceClient,
  backoffDelayMs,
  runWithDeadline,
  type ServiceClientOptions,
} from '../src';
import { startTestServer, type TestServer } from './support/test-server';

/** Retries of ServiceClient against a real server on port 0. */
const retry = { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 10 };

let server: TestServer;
const clients: ServiceClient[] = [];

beforeEach(async () => {
  server = await startTestServer(() => ({ status: 503 }));
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server.close();
});

function clientWith(options: Partial<ServiceClientOptions> = {}): ServiceClient {
  const client = new ServiceClient({
    name: 'shaky',
    baseUrl: server.url,
    timeoutMs: 1_000,
    retry,
    ...options,
  });
  clients.push(client);
  return client;
}

/** Fails `times` times with `status`, then answers 200. */
const failingFirst =
  (times: number, status = 503) =>
  (hit: number) => ({ status: hit <= times ? status : 200 });

describe('retries of idempotent calls', () => {
  it.each([
    ['GET', { path: '/a' }],
    ['PUT', { method: 'PUT' as const, path: '/a', body: {} }],
    ['DELETE', { method: 'DELETE' as const, path: '/a' }],
    [
      'POST with an Idempotency-Key',
      { method: 'POST' as const, path: '/a', headers: { 'Idempotency-Key': 'k1' } },
    ],
    ['POST marked idempotent', { method: 'POST' as const, path: '/a', idempotent: true }],
  ])('retries a %s after a 503 and returns the good answer', async (_name, call) => {
    server.behaviour = failingFirst(2);

    const res = await clientWith().call(call);

    expect(res.status).toBe(200);
    expect(server.hits).toHaveLength(3);
  });

  it('never retries a POST without a key', async () => {
    const res = await clientWith().call({ method: 'POST', path: '/a', body: {} });
    expect(res.status).toBe(503);
    expect(server.hits).toHaveLength(1);
  });

  it('never retries a call marked not idempotent, even a GET', async () => {
    await clientWith().call({ path: '/a', idempotent: false });
    expect(server.hits).toHaveLength(1);
  });

  it.each([400, 404, 409, 422, 501])(
    'never retries a %i: the same request gets the same answer',
    async (status) => {
      server.behaviour = () => ({ status });
      const res = await clientWith().call({ path: '/a' });
      expect(res.status).toBe(status);
      expect(server.hits).toHaveLength(1);
    },
  );

  it('retries a dropped connection and, after the last attempt, throws a DependencyError with the cause', async () => {
    server.behaviour = () => 'drop';
    const registry = new Registry();

    const error = await clientWith({ registry })
      .call({ path: '/a' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect((error as Error).cause).toBeDefined();
    expect(server.hits).toHaveLength(3);
    const text = await registry.metrics();
    expect(text).toContain('upstream_retries_total{upstream="shaky"} 2');
    expect(text).toContain('upstream_requests_total{upstream="shaky",outcome="network_error"} 3');
  });

  it('does not retry without the retry option', async () => {
    const res = await clientWith({ retry: false }).call({ path: '/a' });
    expect(res.status).toBe(503);
    expect(server.hits).toHaveLength(1);
  });

  it('stops retrying once the breaker opens', async () => {
    const client = clientWith({
      retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
      breaker: { volumeThreshold: 2, resetTimeoutMs: 10_000 },
    });
    const error = await client.call({ path: '/a' }).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('circuit open');
    expect(server.hits).toHaveLength(2);
  });

  it('does not retry when the wait would run past the deadline', async () => {
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.5);
    try {
      // A wait of a minute: had the client slept it out, no busy machine could hide it.
      const client = clientWith({ retry: { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
      const started = performance.now();
      const res = await runWithDeadline(5_000, () => client.call({ path: '/a' }));
      expect(res.status).toBe(503);
      expect(server.hits).toHaveLength(1);
      expect(performance.now() - started).toBeLessThan(30_000);
    } finally {
      random.mockRestore();
    }
  });
});

describe('the backoff between attempts (full jitter)', () => {
  it('waits a uniform time in [0, min(max, base * 2^(n-1))) before retry n', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 };
    for (const [retryNumber, ceiling] of [
      [1, 100],
      [2, 200],
      [3, 400],
      [4, 800],
      [5, 1_000],
      [9, 1_000],
    ] as const) {
      expect(backoffDelayMs(retryNumber, policy, () => 0)).toBe(0);
      expect(backoffDelayMs(retryNumber, policy, () => 0.999_999)).toBe(ceiling - 1);
      const samples = Array.from({ length: 2_000 }, () => backoffDelayMs(retryNumber, policy));
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...samples)).toBeLessThan(ceiling);
      // Spread over the whole range, not bunched near the ceiling as "equal jitter" would be.
      expect(Math.min(...samples)).toBeLessThan(ceiling * 0.05);
      expect(Math.max(...samples)).toBeGreaterThan(ceiling * 0.95);
    }
  });

  it('defaults to three attempts, up to 50 ms then doubling, never over a second', () => {
    expect(DEFAULT_RETRY).toEqual({ maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 1_000 });
  });
});

describe('the retry budget', () => {
  it('keeps retries under 10 % of the calls plus a small minimum while the upstream keeps failing', async () => {
    const registry = new Registry();
    const client = clientWith({
      registry,
      retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1 },
      // A minimum of 5 retries per window, so the 10 % share is what is measured.
      retryBudget: { ratio: 0.1, minPerSecond: 0.5, windowMs: 10_000 },
    });

    for (let i = 0; i < 100; i += 1) await client.call({ path: '/a' });

    const retries = server.hits.length - 100;
    // Without a budget this would be 300 retries (3 per call).
    expect(retries).toBeGreaterThan(0);
    expect(retries).toBeLessThanOrEqual(100 * 0.1 + 5);
    expect(await registry.metrics()).toMatch(
      /upstream_retry_budget_exhausted_total\{upstream="shaky"\} [1-9]\d*/,
    );
  });
});
