import { randomUUID } from 'node:crypto';
import { createTestKeyPair, signTestServiceToken } from '@surge/testing';
import { call, createProduct, queryDb, startTestProductService, type TestProductService } from './support';

/**
 * Every internal route of the product service takes a service token for `product` from a
 * caller on its allow-list (order), and nothing else: docs/security.md, "Trust between
 * services". Attacked as a process inside the network would: no token, a user's token,
 * order's token for payment, a forged token, and a real service that is not order.
 */
let service: TestProductService;
beforeAll(async () => {
  service = await startTestProductService();
});
afterAll(() => service.stop());

type Route = {
  name: string;
  path: (orderId: string) => string;
  body: (productId: string, orderId: string) => unknown;
  ok: number;
};

const ROUTES: Route[] = [
  {
    name: 'lookup',
    path: () => '/internal/products/lookup',
    body: (productId) => ({ ids: [productId] }),
    ok: 200,
  },
  {
    name: 'reserve',
    path: () => '/internal/reservations',
    body: (productId, orderId) => ({ orderId, items: [{ productId, quantity: 1 }] }),
    ok: 201,
  },
  {
    name: 'commit',
    path: (orderId) => `/internal/reservations/${orderId}/commit`,
    body: () => undefined,
    ok: 200,
  },
  {
    name: 'release',
    path: (orderId) => `/internal/reservations/${orderId}/release`,
    body: () => undefined,
    ok: 200,
  },
];

/** A product with a reservation of one unit (so commit has something to commit). */
async function arrange() {
  const product = await createProduct(service, { stock: 5 });
  const orderId = randomUUID();
  const reserved = await call(service.url, 'POST', '/internal/reservations', {
    token: service.orderToken,
    body: { orderId, items: [{ productId: product.id, quantity: 1 }] },
  });
  expect(reserved.status).toBe(201);
  return { product, orderId };
}

const stockOf = async (productId: string) =>
  (
    await queryDb<{ stock: number; reserved: number; sold: number }>(
      service,
      'SELECT stock, reserved, sold FROM products WHERE id = $1',
      [productId],
    )
  )[0];

describe.each(ROUTES)('POST $name on the product service’s internal API', (route) => {
  const send = async (authorization: string | undefined) => {
    const { product, orderId } = await arrange();
    // reserve gets a fresh order id: the arranged one is already reserved.
    const target = route.name === 'reserve' ? randomUUID() : orderId;
    const before = await stockOf(product.id);
    const res = await call(service.url, 'POST', route.path(target), {
      ...(authorization ? { headers: { authorization } } : {}),
      ...(route.body(product.id, target) === undefined ? {} : { body: route.body(product.id, target) }),
    });
    return { res, before, after: await stockOf(product.id) };
  };

  it('without a token is 401 with WWW-Authenticate, and changes nothing', async () => {
    const { res, before, after } = await send(undefined);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="surge-internal"/);
    expect(after).toEqual(before);
  });

  it('with a user token (even an admin’s) is 401', async () => {
    const { res, after, before } = await send(`Bearer ${service.adminToken}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(after).toEqual(before);
  });

  it('with order’s token for another audience (payment) is 401', async () => {
    const { res, after, before } = await send(`Bearer ${service.serviceToken('order', 'payment')}`);
    expect(res.status).toBe(401);
    expect(after).toEqual(before);
  });

  it('with a token signed by a key the issuer never published is 401', async () => {
    const forged = signTestServiceToken(createTestKeyPair(), { service: 'order', audience: 'product' });
    const { res, after, before } = await send(`Bearer ${forged}`);
    expect(res.status).toBe(401);
    expect(after).toEqual(before);
  });

  it('with a valid token of a service not on the allow-list (payment) is 403', async () => {
    const { res, after, before } = await send(`Bearer ${service.serviceToken('payment')}`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
    expect(after).toEqual(before);
  });

  it('with order’s token for product succeeds', async () => {
    const { res } = await send(`Bearer ${service.orderToken}`);
    expect(res.status).toBe(route.ok);
  });
});

describe('the rest of /internal on the product service', () => {
  it('is 404 for a path no route has, 401 without a token', async () => {
    const known = await call(service.url, 'POST', '/internal/nothing-here', { token: service.orderToken });
    const anonymous = await call(service.url, 'POST', '/internal/nothing-here');
    expect(known.status).toBe(404);
    expect(anonymous.status).toBe(401);
  });

  it('leaves the public catalog and the health checks open', async () => {
    expect((await call(service.url, 'GET', '/api/products?limit=1')).status).toBe(200);
    expect((await call(service.url, 'GET', '/health/ready')).status).toBe(200);
  });
});
