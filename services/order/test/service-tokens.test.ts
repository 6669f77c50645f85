import { checkoutBody, placeOrder, startOrderHarness, type OrderHarness } from './support/order-service';

/**
 * The order service calls product and payment with its own service token for each
 * (docs/security.md, "Trust between services"): fetched from the user service by client
 * credentials, cached per audience, and replaced when a callee refuses it.
 */
let harness: OrderHarness;
beforeAll(async () => {
  harness = await startOrderHarness();
});
afterAll(() => harness.stop());

/** The claims of a bearer token (its signature is the callee's business, tested there). */
const claimsOf = (authorization: string | undefined): unknown => {
  const payload = /^Bearer [\w-]+\.([\w-]+)\.[\w-]+$/.exec(authorization ?? '')?.[1];
  return payload ? JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) : undefined;
};

describe('service tokens on order’s calls', () => {
  it('every call to product and payment carries order’s token for that service, fetched once per audience', async () => {
    const product = harness.product.addProduct(1_000, 10);
    for (let i = 0; i < 3; i += 1) {
      const { token } = harness.token();
      const res = await placeOrder(harness, token, checkoutBody([{ productId: product.id, quantity: 1 }]));
      expect(res.status).toBe(201);
    }

    expect(harness.product.authorizations.length).toBeGreaterThanOrEqual(6);
    for (const authorization of harness.product.authorizations)
      expect(claimsOf(authorization)).toMatchObject({ sub: 'order', aud: 'product', token_use: 'service' });
    expect(harness.payment.authorizations.length).toBeGreaterThanOrEqual(3);
    for (const authorization of harness.payment.authorizations)
      expect(claimsOf(authorization)).toMatchObject({ sub: 'order', aud: 'payment', token_use: 'service' });
    const requests = harness.issuer.tokenRequests;
    expect(requests.filter((request) => request.audience === 'product')).toEqual([
      { clientId: 'order', audience: 'product' },
    ]);
    expect(requests.filter((request) => request.audience === 'payment')).toHaveLength(1);
  });

  it('a token the callee refuses (401) is replaced and the call made once more', async () => {
    const product = harness.product.addProduct(1_000, 10);
    const before = harness.issuer.tokenRequests.length;
    harness.product.refuseTokens = 1;
    const { token } = harness.token();

    const res = await placeOrder(harness, token, checkoutBody([{ productId: product.id, quantity: 1 }]));

    expect(res.status).toBe(201);
    expect(harness.issuer.tokenRequests.slice(before)).toEqual([{ clientId: 'order', audience: 'product' }]);
  });
});
