import { startTestGateway, type TestGateway } from './support/gateway';
import { closedPort, send } from './support/http';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

let stub: StubUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  stub = await startStubUpstream();
  // Redis on a port nobody listens on: the one test that must not reach testInfra()'s Redis.
  gateway = await startTestGateway({
    USER_SERVICE_URL: stub.url,
    REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
    RATE_LIMIT_IP_MAX: '1',
    RATE_LIMIT_REDIS_TIMEOUT_MS: '200',
  });
});

afterAll(async () => {
  await gateway.stop();
  await stub.close();
});

describe('when Redis is down', () => {
  it('serves requests anyway (fails open) and counts each unchecked request', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await send(gateway.url, '/api/auth/echo')).status);

    expect(statuses).toEqual([200, 200, 200]);
    const metrics = await send(gateway.adminUrl, '/metrics');
    expect(metrics.text).toMatch(/ratelimit_store_failures_total\{[^}]*\} ([3-9]|\d{2,})/);
  });

  it('warns about it at most once every ten seconds', () => {
    const warnings = gateway.logs.filter(
      (entry) => entry.msg === 'rate-limit store unavailable; serving without limits',
    );

    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn' });
  });

  it('fails closed on the credential routes: login and register answer 503 with Retry-After', async () => {
    const before = stub.requestsTo('/api/auth/login').length;
    const login = await send(gateway.url, '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":"a@example.com","password":"guess"}',
    });
    const register = await send(gateway.url, '/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });

    expect([login.status, register.status]).toEqual([503, 503]);
    expect(login.headers['retry-after']).toBe('5');
    expect(login.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(stub.requestsTo('/api/auth/login')).toHaveLength(before);
  });

  it('started anyway, saying that the limits fail open until Redis answers', () => {
    const warnings = gateway.logs.filter(
      (entry) => entry.msg === 'rate-limit store not ready at start; limits fail open until it is',
    );

    expect(warnings).toHaveLength(1);
  });

  it('stays ready, because it still serves without limits', async () => {
    const answer = await send(gateway.url, '/health/ready');

    expect(answer.status).toBe(200);
  });
});
