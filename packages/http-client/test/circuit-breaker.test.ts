import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { DependencyError } from '@surge/errors';
import { createLogger } from '@surge/logger';
import { ServiceClient, type ServiceClientEvent } from '../src';
import { startTestServer, wait, type TestServer } from './support/test-server';

/** The breaker inside ServiceClient, against a real server on port 0; short windows, same rules. */
const breaker = { volumeThreshold: 4, rollingWindowMs: 2_000, resetTimeoutMs: 300 };

let server: TestServer;
let client: ServiceClient;
let registry: Registry;
let events: ServiceClientEvent[];
let logLines: string[];

beforeEach(async () => {
  server = await startTestServer(() => ({ status: 500 }));
  registry = new Registry();
  events = [];
  logLines = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  client = new ServiceClient({
    name: 'flaky',
    baseUrl: server.url,
    timeoutMs: 1_000,
    breaker,
    registry,
    logger: createLogger({ service: 'test', destination }),
    onEvent: (event) => events.push(event),
  });
});

afterEach(async () => {
  await client.close();
  await server.close();
});

const get = () => client.call({ path: '/thing' });
const failure = () => get().catch((error: unknown) => error);
async function exposition(): Promise<string> {
  return registry.metrics();
}

async function tripBreaker(): Promise<void> {
  for (let i = 0; i < breaker.volumeThreshold; i += 1) await get();
  expect(client.breakerState).toBe('open');
}

describe('the circuit breaker of a ServiceClient', () => {
  it('opens once half the calls in the window failed, then refuses calls at once without reaching the server', async () => {
    await tripBreaker();
    const hitsWhenOpened = server.hits.length;

    // "At once" is shown by what happened, not by a stopwatch: no call reached the server.
    const error = await failure();
    for (let i = 0; i < 20; i += 1) await failure();

    expect(server.hits).toHaveLength(hitsWhenOpened);
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retriable: true, dependency: 'flaky' });
    expect((error as Error).message).toContain('circuit open');
    expect((error as Error).cause).toMatchObject({ code: 'EOPENBREAKER' });
    expect((error as DependencyError).retryAfterSeconds).toBe(1);
    expect(await exposition()).toContain('circuit_breaker_state{upstream="flaky"} 2');
    expect(await exposition()).toContain(
      'upstream_requests_total{upstream="flaky",outcome="circuit_open"} 21',
    );
    expect(logLines.join('')).toMatch(/"level":"warn".*circuit breaker opened/);
  });

  it('half-opens after the reset timeout and closes on the first good answer', async () => {
    await tripBreaker();
    server.behaviour = () => ({ status: 200 });

    await wait(breaker.resetTimeoutMs + 50);
    expect(client.breakerState).toBe('half-open');
    expect((await get()).status).toBe(200);

    expect(client.breakerState).toBe('closed');
    expect((await get()).status).toBe(200);
    const text = await exposition();
    expect(text).toContain('circuit_breaker_state{upstream="flaky"} 0');
    for (const to of ['open', 'half-open', 'closed'])
      expect(text).toContain(`circuit_breaker_transitions_total{upstream="flaky",to="${to}"} 1`);
    expect(events.filter((event) => event.type === 'breaker').map((event) => event.state)).toEqual([
      'open',
      'half-open',
      'closed',
    ]);
    expect(logLines.join('')).toMatch(/"level":"info".*circuit breaker closed/);
  });

  it('opens again for another reset period when the half-open trial fails', async () => {
    await tripBreaker();
    await wait(breaker.resetTimeoutMs + 50);

    expect((await get()).status).toBe(500);
    expect(client.breakerState).toBe('open');
    const hits = server.hits.length;
    await failure();
    expect(server.hits).toHaveLength(hits);
  });

  it('treats 404, 409 and 501 as healthy answers: they never open it', async () => {
    server.behaviour = (hit) => ({ status: [404, 409, 501][hit % 3] as number });

    const statuses = [];
    for (let i = 0; i < 30; i += 1) statuses.push((await get()).status);

    expect(client.breakerState).toBe('closed');
    expect(server.hits).toHaveLength(30);
    expect(new Set(statuses)).toEqual(new Set([404, 409, 501]));
  });

  it('counts 429 and 503 as failures, and still hands the caller the answer', async () => {
    server.behaviour = (hit) => ({ status: hit % 2 ? 429 : 503 });

    const statuses = [];
    for (let i = 0; i < breaker.volumeThreshold; i += 1) statuses.push((await get()).status);

    expect(statuses).toEqual([429, 503, 429, 503]);
    expect(client.breakerState).toBe('open');
  });

  it('counts refused connections and timeouts as failures', async () => {
    server.behaviour = (hit) => (hit % 2 ? 'drop' : 'hang');

    const errors = [];
    for (let i = 0; i < breaker.volumeThreshold; i += 1)
      // A dropped connection gets time to be seen as refused; a hung one times out soon.
      errors.push(
        await client
          .call({ path: '/thing', timeoutMs: i % 2 === 0 ? 5_000 : 50 })
          .catch((error: unknown) => error),
      );

    expect(errors.map((error) => (error as DependencyError).code)).toEqual([
      'DEPENDENCY_UNAVAILABLE',
      'DEPENDENCY_TIMEOUT',
      'DEPENDENCY_UNAVAILABLE',
      'DEPENDENCY_TIMEOUT',
    ]);
    expect(client.breakerState).toBe('open');
    expect(await exposition()).toContain('upstream_timeouts_total{upstream="flaky"} 2');
  });

  it('stays closed while failures are under half of the calls', async () => {
    server.behaviour = (hit) => ({ status: hit % 3 === 0 ? 503 : 200 });

    for (let i = 0; i < 30; i += 1) await get();

    expect(client.breakerState).toBe('closed');
  });
});
