import { startTestGateway, type TestGateway } from './support/gateway';
import { closedPort, send } from './support/http';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

let stub: StubUpstream;
let gateway: TestGateway;
let deadPort: number;

beforeAll(async () => {
  stub = await startStubUpstream();
  deadPort = await closedPort();
  gateway = await startTestGateway({
    USER_SERVICE_URL: stub.url,
    PRODUCT_SERVICE_URL: `http://127.0.0.1:${deadPort}`,
    // Long enough for the answers that must arrive on a loaded machine; the slow routes
    // below take 5 s, so the 504s still come from this timeout.
    UPSTREAM_TIMEOUT_MS: '2000',
  });
});

afterAll(async () => {
  await gateway.stop();
  await stub.close();
});

describe('when a service fails', () => {
  it('answers 503 DEPENDENCY_UNAVAILABLE for a service that refuses connections, naming no address', async () => {
    const answer = await send(gateway.url, '/api/products');

    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.json()).toMatchObject({
      status: 503,
      code: 'DEPENDENCY_UNAVAILABLE',
      requestId: answer.headers['x-request-id'],
    });
    expect(answer.text).not.toContain('127.0.0.1');
    expect(answer.text).not.toContain(String(deadPort));
    expect(answer.text).not.toMatch(/ECONNREFUSED|stack|at .*\.ts/);
  });

  it('answers 504 DEPENDENCY_TIMEOUT when a service does not answer in time', async () => {
    // The upstream would answer after 5 s; a 504 DEPENDENCY_TIMEOUT is the gateway giving
    // up first, whatever a busy machine's clock says.
    const answer = await send(gateway.url, '/api/auth/slow?delayMs=5000');

    expect(answer.status).toBe(504);
    expect(answer.json()).toMatchObject({ status: 504, code: 'DEPENDENCY_TIMEOUT' });
    expect(answer.text).not.toContain(String(stub.port));
  });

  it('keeps serving the same service after a timeout', async () => {
    const answer = await send(gateway.url, '/api/auth/echo');

    expect(answer.status).toBe(200);
  });

  it('logs the failure with its cause for operators', () => {
    const line = gateway.logs.find((entry) => entry.msg === 'dependency failed');

    expect(line).toBeDefined();
  });
});

describe('when the client goes away', () => {
  it('keeps serving after a client hangs up while a service is still working', async () => {
    const { request } = await import('node:http');
    await new Promise<void>((resolve) => {
      const req = request(new URL('/api/auth/slow?delayMs=1000', gateway.url), { agent: false });
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => req.destroy(), 100);
    });

    const answer = await send(gateway.url, '/api/auth/echo');

    expect(answer.status).toBe(200);
    expect(gateway.logs.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  it('answers 504 for a request with a body when the service takes too long after reading it', async () => {
    const answer = await send(gateway.url, '/api/auth/slow?delayMs=5000', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payload: 'x'.repeat(100_000) }),
    });

    expect(answer.status).toBe(504);
  });
});
