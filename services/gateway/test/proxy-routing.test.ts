import { createTestKeyPair, signTestToken } from '@surge/testing';
import { startTestGateway, type TestGateway } from './support/gateway';
import { send } from './support/http';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

const keys = createTestKeyPair();
let stub: StubUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  stub = await startStubUpstream([keys]);
  // Only the user and product services exist in this file; orders are "not there yet".
  gateway = await startTestGateway({ USER_SERVICE_URL: stub.url, PRODUCT_SERVICE_URL: stub.url });
});

afterAll(async () => {
  await gateway.stop();
  await stub.close();
});

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  bodyBytes: number;
}

describe('routing', () => {
  it('forwards an auth request to the user service with its path and query intact', async () => {
    const answer = await send(gateway.url, '/api/auth/echo?x=1&y=%20z');

    expect(answer.status).toBe(200);
    expect(answer.json<Echo>()).toMatchObject({ method: 'GET', url: '/api/auth/echo?x=1&y=%20z' });
  });

  it('forwards catalog reads to the product service', async () => {
    const answer = await send(gateway.url, '/api/products?category=books&limit=5');

    expect(answer.status).toBe(200);
    expect(answer.json<Echo>().url).toBe('/api/products?category=books&limit=5');
  });

  it('streams a chunked answer from the service through', async () => {
    const answer = await send(gateway.url, '/api/auth/stream');

    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual([0, 1, 2, 3, 4]);
  });

  it('answers a 404 problem for /internal paths without calling any service', async () => {
    const before = stub.requests.length;

    const answer = await send(gateway.url, '/internal/orders/reserve', { method: 'POST' });

    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    expect(stub.requests.length).toBe(before);
  });

  it('never routes the service token endpoint: client credentials stay inside the network', async () => {
    const before = stub.requests.length;

    const answer = await send(gateway.url, '/internal/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=order&client_secret=guess&audience=payment',
    });

    expect(answer.status).toBe(404);
    expect(stub.requests.length).toBe(before);
  });

  it('answers a 404 problem for a path that climbs out of its route with dot segments', async () => {
    const answer = await send(gateway.url, '/api/products/%2e%2e/%2e%2e/internal/stock');

    expect(answer.status).toBe(404);
    expect(answer.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });

  it('answers a 404 problem with the request id for an unknown route', async () => {
    const answer = await send(gateway.url, '/api/nothing-here');

    expect(answer.status).toBe(404);
    expect(answer.json()).toMatchObject({
      type: '/problems/route-not-found',
      status: 404,
      code: 'ROUTE_NOT_FOUND',
      requestId: answer.headers['x-request-id'],
    });
  });

  it('answers 503 DEPENDENCY_UNAVAILABLE for a service that is not configured yet', async () => {
    const token = signTestToken(keys);

    const answer = await send(gateway.url, '/api/orders', { headers: { authorization: `Bearer ${token}` } });

    expect(answer.status).toBe(503);
    expect(answer.json()).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
  });

  it('refuses TRACE with a 405 problem and the documented methods in Allow', async () => {
    const answer = await send(gateway.url, '/api/products', { method: 'TRACE' });

    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD, POST');
    expect(answer.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    const one = await send(gateway.url, '/api/products/2f1c5e4e-5b8e-4c1a-9d3e-0a1b2c3d4e5f', {
      method: 'TRACE',
    });
    expect(one.headers.allow).toBe('GET, HEAD, PATCH');
  });
});

describe('headers on the way to the service', () => {
  it('removes hop-by-hop headers and every header the Connection header names', async () => {
    const answer = await send(gateway.url, '/api/auth/echo', {
      headers: {
        connection: 'keep-alive, x-client-hop',
        'x-client-hop': 'for the gateway only',
        'keep-alive': 'timeout=30',
        'proxy-authorization': 'Basic c2VjcmV0',
        te: 'trailers',
        upgrade: 'h2c',
        'x-end-to-end': 'kept',
      },
    });

    const seen = answer.json<Echo>().headers;
    for (const name of ['x-client-hop', 'keep-alive', 'proxy-authorization', 'te', 'upgrade'])
      expect(seen).not.toHaveProperty(name);
    expect(seen['connection']).not.toMatch(/x-client-hop/i);
    expect(seen['x-end-to-end']).toBe('kept');
  });

  it('never passes on headers that claim an internal caller', async () => {
    const answer = await send(gateway.url, '/api/auth/echo', {
      headers: { 'x-internal-token': 'forged', 'x-internal-caller': 'order' },
    });

    const seen = answer.json<Echo>().headers;
    expect(seen).not.toHaveProperty('x-internal-token');
    expect(seen).not.toHaveProperty('x-internal-caller');
  });

  it("adds x-forwarded-for and x-forwarded-proto and drops the client's trace context", async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

    const answer = await send(gateway.url, '/api/auth/echo', {
      headers: { traceparent, tracestate: 'surge=1', 'x-forwarded-for': '6.6.6.6' },
    });

    const seen = answer.json<Echo>().headers;
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('http');
    // The gateway's tracing injects its own context (docs/security.md); without it, none.
    expect(seen['traceparent']).toBeUndefined();
    expect(seen['tracestate']).toBeUndefined();
  });

  it('echoes a sane client request id and forwards the same id', async () => {
    const answer = await send(gateway.url, '/api/auth/echo', {
      headers: { 'x-request-id': 'client-req-42' },
    });

    expect(answer.headers['x-request-id']).toBe('client-req-42');
    expect(answer.json<Echo>().headers['x-request-id']).toBe('client-req-42');
  });

  it('replaces an insane client request id with its own and forwards that', async () => {
    const answer = await send(gateway.url, '/api/auth/echo', {
      headers: { 'x-request-id': 'bad id with spaces <script>' },
    });

    const id = answer.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.json<Echo>().headers['x-request-id']).toBe(id);
  });

  it('creates a request id when the client sends none', async () => {
    const answer = await send(gateway.url, '/api/auth/echo');

    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.json<Echo>().headers['x-request-id']).toBe(answer.headers['x-request-id']);
  });
});

describe('headers on the way back', () => {
  it("removes hop-by-hop headers, keeps end-to-end ones and keeps the gateway's request id", async () => {
    const answer = await send(gateway.url, '/api/auth/hop-headers', {
      headers: { 'x-request-id': 'client-req-43' },
    });

    expect(answer.status).toBe(201);
    expect(answer.headers).not.toHaveProperty('x-upstream-hop');
    expect(answer.headers).not.toHaveProperty('proxy-authenticate');
    expect(answer.headers).not.toHaveProperty('x-powered-by');
    expect(answer.headers['connection'] ?? '').not.toMatch(/x-upstream-hop/i);
    expect(answer.headers['x-end-to-end']).toBe('kept');
    expect(answer.headers['x-request-id']).toBe('client-req-43');
  });

  it("never shows the service's address in a Location header", async () => {
    const answer = await send(gateway.url, '/api/auth/hop-headers');

    expect(answer.headers['location']).toBe('/api/auth/elsewhere?x=1');
  });
});

describe('metrics', () => {
  it('counts proxied requests by upstream and route prefix', async () => {
    await send(gateway.url, '/api/auth/echo');

    const metrics = await send(gateway.adminUrl, '/metrics');

    expect(metrics.text).toMatch(
      /gateway_proxied_requests_total\{[^}]*upstream="user",route="\/api\/auth",status="200"[^}]*\} [1-9]/,
    );
  });
});
