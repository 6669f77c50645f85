import { eventually } from './support/eventually';
import { startTestGateway, type TestGateway } from './support/gateway';
import { closedPort, send } from './support/http';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

let userStub: StubUpstream;
let productStub: StubUpstream;

beforeAll(async () => {
  userStub = await startStubUpstream();
  productStub = await startStubUpstream();
});

afterAll(async () => {
  await userStub.close();
  await productStub.close();
});

async function withGateway(
  env: Record<string, string>,
  check: (gateway: TestGateway) => Promise<void>,
): Promise<void> {
  const gateway = await startTestGateway(env);
  try {
    await check(gateway);
  } finally {
    await gateway.stop();
  }
}

describe('GET /health', () => {
  it('answers 200 with every configured upstream up and the rest not configured', async () => {
    await withGateway(
      { USER_SERVICE_URL: userStub.url, PRODUCT_SERVICE_URL: productStub.url },
      async (gateway) => {
        const answer = await send(gateway.url, '/health');

        expect(answer.status).toBe(200);
        expect(answer.json()).toEqual({
          status: 'up',
          upstreams: {
            user: { status: 'up', instances: [{ id: 'user-1', state: 'healthy' }] },
            product: { status: 'up', instances: [{ id: 'product-1', state: 'healthy' }] },
            order: { status: 'not-configured', instances: [] },
            payment: { status: 'not-configured', instances: [] },
            notification: { status: 'not-configured', instances: [] },
            storefront: { status: 'not-configured', instances: [] },
          },
        });
      },
    );
  });

  it('answers 503 naming the upstreams that are down or not ready, and no addresses', async () => {
    const deadPort = await closedPort();
    await withGateway(
      {
        USER_SERVICE_URL: userStub.url,
        PRODUCT_SERVICE_URL: productStub.url,
        ORDER_SERVICE_URL: `http://127.0.0.1:${deadPort}`,
        UPSTREAM_HEALTH_INTERVAL_MS: '50',
      },
      async (gateway) => {
        productStub.setReady(false);
        try {
          const answer = await eventually(async () => {
            const current = await send(gateway.url, '/health');
            expect(current.json()).toMatchObject({
              upstreams: { product: { status: 'down' }, order: { status: 'down' } },
            });
            return current;
          });

          expect(answer.status).toBe(503);
          expect(answer.json()).toEqual({
            status: 'down',
            upstreams: {
              user: { status: 'up', instances: [{ id: 'user-1', state: 'healthy' }] },
              product: { status: 'down', instances: [{ id: 'product-1', state: 'unhealthy' }] },
              order: { status: 'down', instances: [{ id: 'order-1', state: 'unhealthy' }] },
              payment: { status: 'not-configured', instances: [] },
              notification: { status: 'not-configured', instances: [] },
              storefront: { status: 'not-configured', instances: [] },
            },
          });
          expect(answer.text).not.toContain(String(deadPort));
          expect(answer.text).not.toContain('127.0.0.1');
        } finally {
          productStub.setReady(true);
        }
      },
    );
  });

  it('shows instance addresses only when the operator asks for them', async () => {
    await withGateway(
      { USER_SERVICE_URL: userStub.url, HEALTH_SHOW_INSTANCE_ADDRESSES: 'true' },
      async (gateway) => {
        const answer = await send(gateway.url, '/health');

        expect(answer.json()).toMatchObject({
          upstreams: { user: { instances: [{ id: 'user-1', state: 'healthy', address: userStub.url }] } },
        });
      },
    );
  });
});

describe("the gateway's own endpoints", () => {
  it('serves liveness and plain readiness publicly, details and Prometheus metrics on the admin listener', async () => {
    await withGateway({ USER_SERVICE_URL: userStub.url }, async (gateway) => {
      const live = await send(gateway.url, '/health/live');
      const ready = await send(gateway.url, '/health/ready');
      const details = await send(gateway.adminUrl, '/health/ready');
      const metrics = await send(gateway.adminUrl, '/metrics');

      expect(live.status).toBe(200);
      expect(ready.status).toBe(200);
      expect(ready.json()).toEqual({ status: 'up' });
      expect(details.json()).toMatchObject({ status: 'up', shuttingDown: false, checks: {} });
      expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
      expect(metrics.text).toContain('http_requests_total');
    });
  });
});

describe('GET /docs', () => {
  it('serves the OpenAPI 3.1 document of the contract as JSON, also at /docs/openapi.json', async () => {
    await withGateway({ USER_SERVICE_URL: userStub.url }, async (gateway) => {
      const docs = await send(gateway.url, '/docs');
      const alias = await send(gateway.url, '/docs/openapi.json');

      expect(docs.status).toBe(200);
      expect(docs.headers['content-type']).toMatch(/^application\/json/);
      const document = docs.json<{ openapi: string; paths: Record<string, unknown> }>();
      expect(document.openapi).toMatch(/^3\.1\./);
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/api/auth/login', '/api/orders', '/api/products/{id}', '/health']),
      );
      expect(alias.text).toBe(docs.text);
    });
  });
});
