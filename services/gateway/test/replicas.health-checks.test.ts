import { uniqueSuffix } from '@surge/testing';
import { eventually } from './support/eventually';
import { startTestGateway, type TestGateway } from './support/gateway';
import { send } from './support/http';
import { metricValue } from './support/metrics';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

interface Health {
  status: string;
  upstreams: { user: { status: string; instances: Array<{ id: string; state: string }> } };
}

let stubs: StubUpstream[];
let gateway: TestGateway;

beforeAll(async () => {
  stubs = await Promise.all([startStubUpstream(), startStubUpstream(), startStubUpstream()]);
  gateway = await startTestGateway({
    USER_SERVICE_URL: stubs.map((stub) => stub.url).join(','),
    UPSTREAM_HEALTH_INTERVAL_MS: '50',
    UPSTREAM_UNHEALTHY_THRESHOLD: '2',
    UPSTREAM_HEALTHY_THRESHOLD: '2',
    // Active checks alone in this file: no passive ejection gets in their way.
    UPSTREAM_EJECTION_FAILURES: '1000',
    // Many requests a second from one address: the per-IP limit is not under test here.
    RATE_LIMIT_IP_MAX: '1000000',
  });
});

afterAll(async () => {
  await gateway.stop();
  await Promise.all(stubs.map((stub) => stub.close()));
});

const stub = (index: number): StubUpstream => {
  const found = stubs[index];
  if (!found) throw new Error(`no stub ${index}`);
  return found;
};
const uniquePath = () => `/api/auth/checked-${uniqueSuffix()}`;

async function stateOf(id: string): Promise<string | undefined> {
  const health = (await send(gateway.url, '/health')).json<Health>();
  return health.upstreams.user.instances.find((instance) => instance.id === id)?.state;
}

async function statusesOf(count: number, path: string, method = 'GET'): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) statuses.push((await send(gateway.url, path, { method })).status);
  return statuses;
}

describe('active health checks', () => {
  it('take a killed instance out of rotation, so no request is sent to it any more', async () => {
    await stub(1).close();
    await eventually(async () => expect(await stateOf('user-2')).toBe('unhealthy'));
    const retriesBefore = await metricValue(gateway.adminUrl, 'gateway_upstream_retries_total', {
      upstream: 'user',
    });

    const reads = await statusesOf(30, uniquePath());
    // A POST without Idempotency-Key is never retried: one sent to the dead instance would fail.
    const writes = await statusesOf(15, uniquePath(), 'POST');

    expect(reads.every((status) => status === 200)).toBe(true);
    expect(writes.every((status) => status === 200)).toBe(true);
    expect(await metricValue(gateway.adminUrl, 'gateway_upstream_retries_total', { upstream: 'user' })).toBe(
      retriesBefore,
    );
  });

  it('bring it back once it passes its checks again', async () => {
    await stub(1).reopen();
    await eventually(async () => expect(await stateOf('user-2')).toBe('healthy'));
    const path = uniquePath();

    await statusesOf(30, path);

    expect(stub(1).requestsTo(path).length).toBeGreaterThan(0);
  });

  it('take out an instance that is alive but not ready, while the upstream stays up', async () => {
    stub(2).setReady(false);
    try {
      await eventually(async () => expect(await stateOf('user-3')).toBe('unhealthy'));
      const path = uniquePath();

      const statuses = await statusesOf(30, path);

      expect(statuses.every((status) => status === 200)).toBe(true);
      expect(stub(2).requestsTo(path)).toHaveLength(0);
      expect((await send(gateway.url, '/health')).json<Health>()).toMatchObject({
        status: 'up',
        upstreams: { user: { status: 'up' } },
      });
    } finally {
      stub(2).setReady(true);
    }
  });

  it('fail open when no instance is healthy: the upstream is down, yet requests are still tried', async () => {
    for (const each of stubs) each.setReady(false);
    try {
      await eventually(async () => {
        const health = await send(gateway.url, '/health');
        expect(health.status).toBe(503);
        expect(health.json<Health>().upstreams.user.status).toBe('down');
      });

      const answer = await send(gateway.url, uniquePath());

      expect(answer.status).toBe(200);
    } finally {
      for (const each of stubs) each.setReady(true);
    }
  });
});
