import { uniqueSuffix } from '@surge/testing';
import { eventually } from './support/eventually';
import { startTestGateway, type TestGateway } from './support/gateway';
import { send } from './support/http';
import { startReplicaStubs } from './support/replicas';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

// Many requests a second from one address: the per-IP limit is not under test here.
const unlimited = { RATE_LIMIT_IP_MAX: '1000000' };
const uniquePath = () => `/api/auth/spread-${uniqueSuffix()}`;

async function sendMany(gateway: TestGateway, path: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) statuses.push((await send(gateway.url, path)).status);
  return statuses;
}

describe('an upstream listed as several URLs', () => {
  let stubs: StubUpstream[];
  let gateway: TestGateway;

  beforeAll(async () => {
    stubs = await Promise.all([startStubUpstream(), startStubUpstream(), startStubUpstream()]);
    gateway = await startTestGateway({
      USER_SERVICE_URL: stubs.map((stub) => stub.url).join(', '),
      ...unlimited,
    });
  });

  afterAll(async () => {
    await gateway.stop();
    await Promise.all(stubs.map((stub) => stub.close()));
  });

  it('spreads requests over every instance', async () => {
    const path = uniquePath();

    const statuses = await sendMany(gateway, path, 60);

    expect(statuses.every((status) => status === 200)).toBe(true);
    for (const stub of stubs) expect(stub.requestsTo(path).length).toBeGreaterThanOrEqual(5);
  });

  it('lists every instance in GET /health', async () => {
    const answer = await send(gateway.url, '/health');

    expect(answer.json()).toMatchObject({
      upstreams: {
        user: {
          status: 'up',
          instances: [
            { id: 'user-1', state: 'healthy' },
            { id: 'user-2', state: 'healthy' },
            { id: 'user-3', state: 'healthy' },
          ],
        },
      },
    });
  });

  it('reports the instances by state on /metrics', async () => {
    const metrics = await send(gateway.adminUrl, '/metrics');

    expect(metrics.text).toMatch(/gateway_upstream_instances\{[^}]*upstream="user",state="healthy"[^}]*\} 3/);
    expect(metrics.text).toMatch(/gateway_upstream_instances\{[^}]*upstream="user",state="ejected"[^}]*\} 0/);
  });
});

describe('an upstream behind a DNS name with several addresses', () => {
  const hostname = 'user.replicas.test';
  let stubs: StubUpstream[];
  let gateway: TestGateway;
  /** What the fake DNS answers for `hostname` right now; a test changes it as replicas come and go. */
  let records: string[];
  let dnsDown = false;

  beforeAll(async () => {
    stubs = await startReplicaStubs(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    records = ['127.0.0.2', '127.0.0.3'];
    gateway = await startTestGateway(
      {
        USER_SERVICE_URL: `http://${hostname}:${stubs[0]?.port}`,
        UPSTREAM_RESOLVE_INTERVAL_MS: '50',
        UPSTREAM_HEALTH_INTERVAL_MS: '50',
        ...unlimited,
      },
      {
        resolveHost: async (name) => {
          if (dnsDown) throw Object.assign(new Error(`queryA ESERVFAIL ${name}`), { code: 'ESERVFAIL' });
          return name === hostname ? [...records] : [];
        },
      },
    );
  });

  afterAll(async () => {
    await gateway.stop();
    await Promise.all(stubs.map((stub) => stub.close()));
  });

  const at = (host: string): StubUpstream => {
    const stub = stubs.find((each) => each.host === host);
    if (!stub) throw new Error(`no stub on ${host}`);
    return stub;
  };

  it('sends requests to every address the name resolves to', async () => {
    const path = uniquePath();

    const statuses = await sendMany(gateway, path, 40);

    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(at('127.0.0.2').requestsTo(path).length).toBeGreaterThan(0);
    expect(at('127.0.0.3').requestsTo(path).length).toBeGreaterThan(0);
    expect(at('127.0.0.4').requestsTo(path)).toHaveLength(0);
  });

  it('adds an instance that appears in DNS once it passes its health checks, and drops one that disappears', async () => {
    records = ['127.0.0.3', '127.0.0.4'];

    await eventually(async () => {
      const health = (await send(gateway.url, '/health')).json<{
        upstreams: { user: { instances: Array<{ id: string; state: string }> } };
      }>();
      expect(health.upstreams.user.instances).toEqual([
        { id: 'user-2', state: 'healthy' },
        { id: 'user-3', state: 'healthy' },
      ]);
    });
    const path = uniquePath();
    const statuses = await sendMany(gateway, path, 40);

    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(at('127.0.0.2').requestsTo(path)).toHaveLength(0);
    expect(at('127.0.0.3').requestsTo(path).length).toBeGreaterThan(0);
    expect(at('127.0.0.4').requestsTo(path).length).toBeGreaterThan(0);
  });

  it('keeps the last known instances while DNS fails', async () => {
    dnsDown = true;
    try {
      await eventually(() => {
        expect(
          gateway.logs.some(
            (line) => line.msg === 'could not resolve upstream; keeping its last known instances',
          ),
        ).toBe(true);
      });

      const statuses = await sendMany(gateway, uniquePath(), 10);

      expect(statuses.every((status) => status === 200)).toBe(true);
    } finally {
      dnsDown = false;
    }
  });
});
