import { createTestKeyPair, signTestToken } from '@surge/testing';
import { startTestGateway, type TestGateway } from './support/gateway';
import { send } from './support/http';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

/**
 * What a browser learns from the gateway's answers: never to sniff a type, never to
 * keep personal data in a cache, not to run or frame /docs, and no CORS unless an
 * origin is configured.
 */
const keys = createTestKeyPair();
let stub: StubUpstream;
let gateway: TestGateway;
const upstreams = (url: string) => ({
  USER_SERVICE_URL: url,
  PRODUCT_SERVICE_URL: url,
  ORDER_SERVICE_URL: url,
  PAYMENT_SERVICE_URL: url,
  NOTIFICATION_SERVICE_URL: url,
});

beforeAll(async () => {
  stub = await startStubUpstream([keys]);
  gateway = await startTestGateway(upstreams(stub.url));
});

afterAll(async () => {
  await gateway.stop();
  await stub.close();
});

const auth = () => ({ authorization: `Bearer ${signTestToken(keys)}` });

describe('every answer', () => {
  it.each([
    ['/api/users/me', true],
    ['/api/products', false],
    ['/api/nowhere', false],
    ['/api/orders', false],
    ['/health', false],
    ['/docs', false],
    ['/docs/openapi.json', false],
    ['/docs/assets/swagger-ui.css', false],
  ])('of %s carries X-Content-Type-Options: nosniff', async (path, withToken) => {
    const answer = await send(gateway.url, path, withToken ? { headers: auth() } : {});

    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('personal data', () => {
  it.each([
    '/api/users/me',
    '/api/orders',
    '/api/orders/1',
    '/api/payments',
    '/api/cart',
    '/api/notifications',
  ])('%s is answered Cache-Control: no-store', async (path) => {
    const answer = await send(gateway.url, path, { headers: auth() });

    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
  });
});

describe('GET /docs', () => {
  it('the reference page runs only scripts and styles from the gateway, none inline, and cannot be framed', async () => {
    const answer = await send(gateway.url, '/docs');
    const policy = Object.fromEntries(
      String(answer.headers['content-security-policy'])
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values.join(' ')]),
    );

    expect(policy).toMatchObject({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'connect-src': "'self'",
      'frame-ancestors': "'none'",
      'base-uri': "'none'",
    });
    expect(answer.headers['content-security-policy']).not.toMatch(/unsafe-|https?:|\*/);
  });

  it('the document and the assets carry a policy that lets nothing in them run or be framed', async () => {
    for (const path of ['/docs/openapi.json', '/docs/assets/swagger-ui-bundle.js']) {
      const answer = await send(gateway.url, path);

      expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });
});

describe('CORS', () => {
  it('by default sends no CORS header, not even to a preflight', async () => {
    const simple = await send(gateway.url, '/api/products', { headers: { origin: 'https://evil.example' } });
    const preflight = await send(gateway.url, '/api/orders', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });

    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('answers a configured origin, and only that one, never with credentials', async () => {
    const shop = await startTestGateway({
      ...upstreams(stub.url),
      CORS_ALLOWED_ORIGINS: 'https://shop.example',
    });
    try {
      const preflight = await send(shop.url, '/api/orders', {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
      });
      const allowed = await send(shop.url, '/api/products', { headers: { origin: 'https://shop.example' } });
      const other = await send(shop.url, '/api/products', { headers: { origin: 'https://evil.example' } });

      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
      expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
      expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
      expect(allowed.headers.vary).toMatch(/origin/i);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await shop.stop();
    }
  });
});
