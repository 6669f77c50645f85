import { randomUUID } from 'node:crypto';
import { uniqueSuffix } from '@surge/testing';
import { startTestGateway, type TestGateway } from './support/gateway';
import { closedPort, send } from './support/http';
import { metricValue } from './support/metrics';
import { startResettingServer } from './support/replicas';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

// The first listed instance is always picked first (the balancer's dice land on 0),
// and it stays in rotation (no health checks after the first, no ejection): every
// request meets the failing instance first, and only a retry can save it.
const deterministic = {
  UPSTREAM_HEALTH_INTERVAL_MS: '600000',
  UPSTREAM_EJECTION_FAILURES: '1000',
  RATE_LIMIT_IP_MAX: '1000000',
};
const firstCandidate = () => 0;
const json = { 'content-type': 'application/json' };
const uniquePath = () => `/api/auth/retry-${uniqueSuffix()}`;

let live: StubUpstream;
let refusing: TestGateway;
let resetting: TestGateway;
let resetServer: Awaited<ReturnType<typeof startResettingServer>>;

beforeAll(async () => {
  live = await startStubUpstream();
  resetServer = await startResettingServer();
  refusing = await startTestGateway(
    { USER_SERVICE_URL: `http://127.0.0.1:${await closedPort()},${live.url}`, ...deterministic },
    { random: firstCandidate },
  );
  resetting = await startTestGateway(
    { USER_SERVICE_URL: `${resetServer.url},${live.url}`, ...deterministic },
    { random: firstCandidate },
  );
});

afterAll(async () => {
  await refusing.stop();
  await resetting.stop();
  await resetServer.close();
  await live.close();
});

const retries = (gateway: TestGateway) =>
  metricValue(gateway.adminUrl, 'gateway_upstream_retries_total', { upstream: 'user' });

describe('when the first instance refuses the connection', () => {
  it('retries a GET on another instance, and the client sees 200', async () => {
    const path = uniquePath();
    const before = await retries(refusing);

    const answer = await send(refusing.url, path);

    expect(answer.status).toBe(200);
    expect(live.requestsTo(path)).toHaveLength(1);
    expect(await retries(refusing)).toBe(before + 1);
  });

  it('retries a PUT with its whole body', async () => {
    const path = uniquePath();
    const chunks = Array.from({ length: 4 }, () => Buffer.alloc(16 * 1024, 0x20));

    const answer = await send(refusing.url, path, { method: 'PUT', headers: json, chunks });

    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ method: 'PUT', bodyBytes: 4 * 16 * 1024 });
  });

  it('does not retry a POST without Idempotency-Key: the client sees a 503 problem', async () => {
    const path = uniquePath();
    const before = await retries(refusing);

    const answer = await send(refusing.url, path, { method: 'POST', headers: json, body: '{"a":1}' });

    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.json()).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    expect(live.requestsTo(path)).toHaveLength(0);
    expect(await retries(refusing)).toBe(before);
  });

  it('retries a POST that carries an Idempotency-Key, body and key included', async () => {
    const path = uniquePath();
    const key = randomUUID();
    const body = JSON.stringify({ items: [{ productId: randomUUID(), quantity: 2 }] });

    const answer = await send(refusing.url, path, {
      method: 'POST',
      headers: { ...json, 'idempotency-key': key },
      body,
    });

    expect(answer.status).toBe(200);
    const seen = live.requestsTo(path);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ bodyBytes: Buffer.byteLength(body) });
    expect(seen[0]?.headers['idempotency-key']).toBe(key);
  });

  it('does not retry a PATCH', async () => {
    const answer = await send(refusing.url, uniquePath(), { method: 'PATCH', headers: json, body: '{}' });

    expect(answer.status).toBe(503);
  });
});

describe('when the first instance resets the connection before answering', () => {
  it('retries a GET on another instance', async () => {
    const path = uniquePath();

    const answer = await send(resetting.url, path);

    expect(answer.status).toBe(200);
    expect(live.requestsTo(path)).toHaveLength(1);
  });

  it('does not retry a POST without Idempotency-Key, which may have reached the service', async () => {
    const path = uniquePath();

    const answer = await send(resetting.url, path, { method: 'POST', headers: json, body: '{}' });

    expect(answer.status).toBe(503);
    expect(live.requestsTo(path)).toHaveLength(0);
  });
});

describe('once an instance has answered', () => {
  it('passes its answer on, a 5xx too, and never asks another instance', async () => {
    const other = await startStubUpstream();
    const gateway = await startTestGateway(
      { USER_SERVICE_URL: `${live.url},${other.url}`, ...deterministic },
      { random: firstCandidate },
    );
    try {
      const before = await retries(gateway);

      const answer = await send(gateway.url, '/api/auth/flaky/status-503');

      expect(answer.status).toBe(503);
      expect(answer.json()).toEqual({ status: 503 });
      expect(await retries(gateway)).toBe(before);
      expect(other.requests.filter((request) => request.url.includes('/flaky/'))).toHaveLength(0);
    } finally {
      await gateway.stop();
      await other.close();
    }
  });
});
