import { uniqueSuffix } from '@surge/testing';
import { eventually } from './support/eventually';
import { startTestGateway, type TestGateway } from './support/gateway';
import { send, type Answer } from './support/http';
import { metricValue } from './support/metrics';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

let stub: StubUpstream;

beforeAll(async () => {
  stub = await startStubUpstream();
});

afterAll(async () => {
  await stub.close();
});

/**
 * Starts `count` requests that the stub holds until released, and resolves once it holds
 * them all: they occupy their slots for as long as the test needs, whatever the clock says.
 */
async function occupySlots(gateway: TestGateway, count: number): Promise<() => Promise<Answer[]>> {
  const path = `/api/auth/occupy-${uniqueSuffix()}/hold`;
  const before = stub.held();
  const pending = Array.from({ length: count }, () => send(gateway.url, path));
  await eventually(() => expect(stub.held()).toBe(before + count));
  return () => {
    stub.releaseHeld();
    return Promise.all(pending);
  };
}

describe('at the concurrency limit, without a queue', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      USER_SERVICE_URL: stub.url,
      LOAD_SHED_MAX_INFLIGHT: '2',
      LOAD_SHED_QUEUE_TIMEOUT_MS: '0',
      LOAD_SHED_RETRY_AFTER_SECONDS: '3',
    });
  });

  afterAll(async () => {
    await gateway.stop();
  });

  it('answers the next request 503 OVERLOADED with Retry-After, never calling the service, and serves again once slots free up', async () => {
    const release = await occupySlots(gateway, 2);
    const path = `/api/auth/shed-${uniqueSuffix()}`;

    const shed = await send(gateway.url, path);
    const inflight = await metricValue(gateway.adminUrl, 'gateway_inflight_requests');
    const health = await Promise.all(
      ['/health', '/health/live', '/health/ready', '/docs'].map((own) => send(gateway.url, own)),
    );
    const finished = await release();
    const after = await send(gateway.url, path);

    expect(shed.status).toBe(503);
    expect(shed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(shed.json()).toMatchObject({
      status: 503,
      code: 'OVERLOADED',
      requestId: shed.headers['x-request-id'],
    });
    expect(shed.headers['retry-after']).toBe('3');
    expect(inflight).toBe(2);
    expect(health.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(finished.map((answer) => answer.status)).toEqual([200, 200]);
    expect(after.status).toBe(200);
    expect(stub.requestsTo(path)).toHaveLength(1);
  });

  it('counts shed requests on /metrics', async () => {
    expect(await metricValue(gateway.adminUrl, 'gateway_shed_requests_total')).toBeGreaterThanOrEqual(1);
    expect(await metricValue(gateway.adminUrl, 'gateway_inflight_requests')).toBe(0);
  });

  it('does not count unknown routes against the limit', async () => {
    const release = await occupySlots(gateway, 2);

    const unknown = await send(gateway.url, '/api/nothing-here');
    await release();

    expect(unknown.status).toBe(404);
  });
});

describe('at the concurrency limit, with a short queue', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      USER_SERVICE_URL: stub.url,
      LOAD_SHED_MAX_INFLIGHT: '2',
      LOAD_SHED_MAX_QUEUED: '1',
      // Longer than the test holds its requests, so the queued one is admitted when a slot frees.
      LOAD_SHED_QUEUE_TIMEOUT_MS: '30000',
    });
  });

  afterAll(async () => {
    await gateway.stop();
  });

  it('lets one request wait for a slot and sheds the one that finds the queue full', async () => {
    const release = await occupySlots(gateway, 2);
    const queuedPath = `/api/auth/queued-${uniqueSuffix()}`;

    const queued = send(gateway.url, queuedPath);
    await eventually(async () =>
      expect(await metricValue(gateway.adminUrl, 'gateway_queued_requests')).toBe(1),
    );
    const overflow = await send(gateway.url, `/api/auth/overflow-${uniqueSuffix()}`);
    await release();

    expect((await queued).status).toBe(200);
    expect(overflow.status).toBe(503);
    expect(overflow.json()).toMatchObject({ code: 'OVERLOADED' });
    expect(overflow.headers['retry-after']).toBe('1');
  });
});
