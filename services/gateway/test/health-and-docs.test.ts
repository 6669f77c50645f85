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
  it('serves the generated OpenAPI 3.1 document as JSON at /docs/openapi.json', async () => {
    await withGateway({ USER_SERVICE_URL: userStub.url }, async (gateway) => {
      const document = await send(gateway.url, '/docs/openapi.json');

      expect(document.status).toBe(200);
      expect(document.headers['content-type']).toMatch(/^application\/json/);
      const parsed = document.json<{ openapi: string; paths: Record<string, unknown> }>();
      expect(parsed.openapi).toMatch(/^3\.1\./);
      expect(Object.keys(parsed.paths)).toEqual(
        expect.arrayContaining(['/api/auth/login', '/api/orders', '/api/products/{id}', '/health']),
      );
    });
  });

  it('serves an API reference page whose scripts and styles all come from the gateway', async () => {
    await withGateway({ USER_SERVICE_URL: userStub.url }, async (gateway) => {
      const page = await send(gateway.url, '/docs');
      const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
      const answers = await Promise.all(assets.map((asset) => send(gateway.url, asset)));

      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(assets).toEqual(
        expect.arrayContaining([
          '/docs/assets/swagger-ui.css',
          '/docs/assets/swagger-ui-bundle.js',
          '/docs/assets/start.js',
        ]),
      );
      expect(assets.every((asset) => asset.startsWith('/docs/assets/'))).toBe(true);
      expect(answers.map((answer) => answer.status)).toEqual(assets.map(() => 200));
      expect(answers.find((answer) => answer.text.includes('/docs/openapi.json'))).toBeDefined();
      expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]+<\/script>|\son\w+=/);
    });
  });

  it('answers 404 for an asset it does not have', async () => {
    await withGateway({ USER_SERVICE_URL: userStub.url }, async (gateway) => {
      const missing = await send(gateway.url, '/docs/assets/index.html');

      expect(missing.status).toBe(404);
    });
  });
});
