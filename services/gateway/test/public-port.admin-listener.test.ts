import { startTestGateway, type TestGateway } from './support/gateway';
import { send } from './support/http';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

/**
 * An attacker on the public port must find no fault switch, no metrics and no
 * readiness details, even on a gateway started with fault injection on (development):
 * they live on the admin listener, a port of its own bound to loopback.
 */
let userStub: StubUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  userStub = await startStubUpstream();
  gateway = await startTestGateway({ USER_SERVICE_URL: userStub.url, FAULT_INJECTION: 'true' });
});

afterAll(async () => {
  await gateway.stop();
  await userStub.close();
});

describe('the public port', () => {
  it.each([
    ['GET', '/_control/faults'],
    ['PUT', '/_control/faults'],
    ['DELETE', '/_control/faults'],
    ['GET', '/metrics'],
    ['GET', '/METRICS'],
    ['GET', '/metrics/'],
  ])('answers %s %s with 404 and switches nothing on', async (method, path) => {
    const answer = await send(gateway.url, path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(method === 'PUT' ? { body: JSON.stringify({ errorRate: 1 }) } : {}),
    });

    expect(answer.status).toBe(404);
    expect(answer.text).not.toContain('http_requests_total');
    expect((await send(gateway.adminUrl, '/_control/faults')).json()).toMatchObject({ errorRate: 0 });
  });

  it('answers readiness with a plain status, naming no dependency', async () => {
    const answer = await send(gateway.url, '/health/ready');

    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ status: 'up' });
  });
});

describe('the admin listener', () => {
  it('listens on loopback, on a port other than the public one', () => {
    const admin = new URL(gateway.adminUrl);

    expect(admin.hostname).toBe('127.0.0.1');
    expect(admin.port).not.toBe(new URL(gateway.url).port);
  });

  it('serves metrics, readiness details and the development fault switch', async () => {
    const metrics = await send(gateway.adminUrl, '/metrics');
    const ready = await send(gateway.adminUrl, '/health/ready');
    const switched = await send(gateway.adminUrl, '/_control/faults', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 1 }),
    });
    const cleared = await send(gateway.adminUrl, '/_control/faults', { method: 'DELETE' });

    expect(metrics.text).toContain('http_requests_total');
    expect(ready.json()).toMatchObject({ status: 'up', shuttingDown: false, checks: {} });
    expect(switched.json()).toMatchObject({ latencyMs: 1 });
    expect(cleared.status).toBe(204);
  });
});
