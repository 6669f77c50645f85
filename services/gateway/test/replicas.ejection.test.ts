import { uniqueSuffix } from '@surge/testing';
import { eventually } from './support/eventually';
import { startTestGateway, type TestGateway } from './support/gateway';
import { closedPort, send } from './support/http';
import { metricValue } from './support/metrics';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

// Long enough that no ejection runs out in the middle of a test step on a loaded machine
// (it did at 1 s: a readmitted instance took a retry the test had not counted), short
// enough to wait for.
const EJECTION_BASE_MS = 3_000;

// Passive ejection alone: the only active check runs at start, long before any instance dies.
const passiveOnly = {
  UPSTREAM_HEALTH_INTERVAL_MS: '600000',
  UPSTREAM_EJECTION_FAILURES: '3',
  UPSTREAM_EJECTION_BASE_MS: String(EJECTION_BASE_MS),
  UPSTREAM_EJECTION_MAX_MS: String(10 * EJECTION_BASE_MS),
  // Many requests a second from one address: the per-IP limit is not under test here.
  RATE_LIMIT_IP_MAX: '1000000',
};
// The balancer's dice always land on the first candidate, so the first listed instance
// gets every request it is eligible for: failures and readmission become countable.
const firstCandidate = () => 0;
const uniquePath = () => `/api/auth/ejection-${uniqueSuffix()}`;

interface Health {
  upstreams: { user: { instances: Array<{ id: string; state: string }> } };
}

async function stateOf(gateway: TestGateway, id: string): Promise<string | undefined> {
  const health = (await send(gateway.url, '/health')).json<Health>();
  return health.upstreams.user.instances.find((instance) => instance.id === id)?.state;
}

describe('passive outlier ejection', () => {
  let stubs: StubUpstream[];
  let gateway: TestGateway;

  beforeAll(async () => {
    stubs = await Promise.all([startStubUpstream(), startStubUpstream(), startStubUpstream()]);
    gateway = await startTestGateway(
      { USER_SERVICE_URL: stubs.map((stub) => stub.url).join(','), ...passiveOnly },
      { random: firstCandidate },
    );
  });

  afterAll(async () => {
    await gateway.stop();
    await Promise.all(stubs.map((stub) => stub.close()));
  });

  const first = (): StubUpstream => stubs[0] as StubUpstream;

  it('ejects an instance after consecutive connection failures, while clients still get answers', async () => {
    await first().close();

    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await send(gateway.url, uniquePath())).status);

    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(
      await metricValue(gateway.adminUrl, 'gateway_upstream_ejections_total', { upstream: 'user' }),
    ).toBe(1);
    expect(await metricValue(gateway.adminUrl, 'gateway_upstream_retries_total', { upstream: 'user' })).toBe(
      3,
    );
    const ejected = gateway.logs.filter((line) => line.msg === 'upstream instance ejected');
    expect(ejected).toEqual([expect.objectContaining({ instance: 'user-1', durationMs: EJECTION_BASE_MS })]);
  });

  it('readmits the instance when its ejection time is over', async () => {
    await first().reopen();
    await eventually(async () => expect(await stateOf(gateway, 'user-1')).toBe('healthy'));
    const path = uniquePath();

    const answer = await send(gateway.url, path);

    expect(answer.status).toBe(200);
    expect(first().requestsTo(path)).toHaveLength(1);
  });

  it('ejects it for twice as long when it fails again', async () => {
    await first().close();

    for (let i = 0; i < 3; i += 1) await send(gateway.url, uniquePath());

    const durations = gateway.logs
      .filter((line) => line.msg === 'upstream instance ejected')
      .map((line) => line.durationMs);
    expect(durations).toEqual([EJECTION_BASE_MS, 2 * EJECTION_BASE_MS]);
    await first().reopen();
  });
});

describe('the ejection cap', () => {
  it('never ejects the last instance that could still take traffic', async () => {
    const deadPorts = [await closedPort(), await closedPort()];
    const stub = await startStubUpstream();
    const gateway = await startTestGateway({
      USER_SERVICE_URL: stub.url,
      PRODUCT_SERVICE_URL: deadPorts.map((port) => `http://127.0.0.1:${port}`).join(','),
      ...passiveOnly,
      UPSTREAM_EJECTION_FAILURES: '1',
      // Nobody is readmitted while the test looks.
      UPSTREAM_EJECTION_BASE_MS: '60000',
      UPSTREAM_EJECTION_MAX_MS: '60000',
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await send(gateway.url, '/api/products')).status);

      expect(statuses.every((status) => status === 503)).toBe(true);
      expect(
        await metricValue(gateway.adminUrl, 'gateway_upstream_ejections_total', { upstream: 'product' }),
      ).toBe(1);
      const health = (await send(gateway.url, '/health')).json<{
        upstreams: { product: { instances: Array<{ state: string }> } };
      }>();
      expect(health.upstreams.product.instances.map((instance) => instance.state).sort()).toEqual([
        'ejected',
        'healthy',
      ]);
    } finally {
      await gateway.stop();
      await stub.close();
    }
  });
});
