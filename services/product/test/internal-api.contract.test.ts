import { randomUUID } from 'node:crypto';
import {
  commitReservationRoute,
  internalOpenApiText,
  lookupProductsRoute,
  readAnswer,
  releaseReservationRoute,
  reserveStockRoute,
  type RouteContract,
} from '@surge/contracts';
import { call, createProduct, startTestProductService, type TestProductService } from './support';

/**
 * The real product service keeps its internal API's contract
 * (packages/contracts/src/internal/product-api.ts): each of its answers, success and
 * refusal, parses with the schema the order service's client reads it with.
 */
let service: TestProductService;
beforeAll(async () => {
  service = await startTestProductService();
});
afterAll(() => service.stop());

async function answerOf(route: RouteContract, path: string, body?: unknown, token = service.orderToken) {
  const res = await call(service.url, 'POST', path, { token, ...(body === undefined ? {} : { body }) });
  // readAnswer throws UPSTREAM_CONTRACT_VIOLATION for an answer outside the contract.
  return readAnswer('product', route, { status: res.status, body: res.body });
}

describe('the product service’s internal answers', () => {
  it('lookup, reserve, repeat, commit, release and return answer as the contract says', async () => {
    const product = await createProduct(service, { stock: 5, priceCents: 900 });
    const orderId = randomUUID();
    const line = { productId: product.id, quantity: 2 };

    expect(
      await answerOf(lookupProductsRoute, lookupProductsRoute.path, { ids: [product.id] }),
    ).toMatchObject({
      status: 200,
    });
    expect(
      await answerOf(reserveStockRoute, reserveStockRoute.path, { orderId, items: [line] }),
    ).toMatchObject({
      status: 201,
      body: { status: 'RESERVED' },
    });
    expect(await answerOf(commitReservationRoute, `/internal/reservations/${orderId}/commit`)).toEqual({
      status: 200,
      body: { orderId, status: 'COMMITTED' },
    });
    expect(
      await answerOf(reserveStockRoute, reserveStockRoute.path, { orderId, items: [line] }),
    ).toMatchObject({
      status: 200,
      body: { status: 'COMMITTED' },
    });
    expect(await answerOf(releaseReservationRoute, `/internal/reservations/${orderId}/release`)).toEqual({
      status: 200,
      body: { orderId, status: 'RETURNED' },
    });
    expect(await answerOf(commitReservationRoute, `/internal/reservations/${orderId}/commit`)).toMatchObject({
      status: 409,
      body: { code: 'CONFLICT', status: 409, reservationStatus: 'RETURNED' },
    });
  });

  it('a reserve for an order released before it reserved answers its tombstone as the contract says', async () => {
    // schemathesis found it: release first (a saga compensating a reservation that never
    // happened) leaves a RELEASED reservation without lines, and a late reserve answered it
    // with `items: []`, which the contract's one-or-more lines refused (the order service's
    // client read a contract violation).
    const product = await createProduct(service, { stock: 5 });
    const orderId = randomUUID();
    expect(await answerOf(releaseReservationRoute, `/internal/reservations/${orderId}/release`)).toEqual({
      status: 200,
      body: { orderId, status: 'NONE' },
    });
    expect(
      await answerOf(reserveStockRoute, reserveStockRoute.path, {
        orderId,
        items: [{ productId: product.id, quantity: 1 }],
      }),
    ).toEqual({ status: 200, body: { orderId, status: 'RELEASED', items: [] } });
  });

  it('refusals are the declared problems: unknown products, short stock, two currencies, bad ids, no token', async () => {
    const [usd, eur] = await Promise.all([
      createProduct(service, { stock: 1 }),
      createProduct(service, { stock: 1, currency: 'EUR' }),
    ]);
    const reserve = (items: unknown[]) =>
      answerOf(reserveStockRoute, reserveStockRoute.path, { orderId: randomUUID(), items });

    expect(await reserve([{ productId: randomUUID(), quantity: 1 }])).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect(await reserve([{ productId: usd.id, quantity: 2 }])).toMatchObject({
      status: 409,
      body: { code: 'INSUFFICIENT_STOCK', productIds: [usd.id] },
    });
    expect(
      await reserve([
        { productId: usd.id, quantity: 1 },
        { productId: eur.id, quantity: 1 },
      ]),
    ).toMatchObject({
      status: 409,
      body: { code: 'CURRENCY_MISMATCH', currencies: { [usd.id]: 'USD', [eur.id]: 'EUR' } },
    });
    expect(await reserve([{ productId: 'nope', quantity: 1 }])).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect(await answerOf(commitReservationRoute, '/internal/reservations/nope/commit')).toMatchObject({
      status: 400,
    });
    expect(
      await answerOf(commitReservationRoute, `/internal/reservations/${randomUUID()}/commit`),
    ).toMatchObject({
      status: 404,
    });
    expect(
      await answerOf(
        releaseReservationRoute,
        `/internal/reservations/${randomUUID()}/release`,
        undefined,
        service.customerToken,
      ),
    ).toMatchObject({ status: 401 });
    expect(
      await answerOf(
        releaseReservationRoute,
        `/internal/reservations/${randomUUID()}/release`,
        undefined,
        service.serviceToken('payment'),
      ),
    ).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  it('serves its generated OpenAPI document on the admin listener', async () => {
    const res = await fetch(`${service.adminUrl}/docs/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.text()).toBe(internalOpenApiText('product'));
  });
});
