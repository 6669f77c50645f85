import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamContractError } from '@surge/errors';
import { ServiceClient } from '@surge/http-client';
import { eventually } from '@surge/testing';
import { createPaymentClient } from '../src/clients/payment-client';
import { createProductClient } from '../src/clients/product-client';
import {
  call,
  checkoutBody,
  placeOrder,
  startOrderHarness,
  type OrderHarness,
} from './support/order-service';

/**
 * Answers outside the internal APIs' contracts (packages/contracts/src/internal): the
 * clients read them as UPSTREAM_CONTRACT_VIOLATION, and the saga treats that like any
 * other upstream failure whose outcome is unknown.
 */
let h: OrderHarness;
beforeAll(async () => {
  h = await startOrderHarness();
});
afterEach(() => {
  h.product.mixedCurrencyReservation = false;
  h.payment.mode = 'normal';
});
afterAll(() => h.stop());

const orderStatus = async (token: string, id: string) =>
  (await call<{ status: string }>(h, 'GET', `/api/orders/${id}`, { token })).body.status;

describe('checkout when a neighbour answers outside its contract', () => {
  it('a reservation in two currencies is a 502 UPSTREAM_CONTRACT_VIOLATION, and the reservation is released', async () => {
    const a = h.product.addProduct(300, 5);
    const b = h.product.addProduct(400, 5);
    const { token } = h.token();
    h.product.mixedCurrencyReservation = true;

    const res = await placeOrder(
      h,
      token,
      checkoutBody([
        { productId: a.id, quantity: 1 },
        { productId: b.id, quantity: 2 },
      ]),
    );

    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'UPSTREAM_CONTRACT_VIOLATION', status: 502 });
    expect(a).toMatchObject({ stock: 5, reserved: 0 });
    expect(b).toMatchObject({ stock: 5, reserved: 0 });
    expect([...h.product.reservations.values()].map((r) => r.status)).not.toContain('RESERVED');
    expect(h.payment.chargeCalls).toHaveLength(0);
  });

  it('a capture whose answer cannot be read is PAYMENT_PENDING, never cancelled, and ends PAID with one capture', async () => {
    const product = h.product.addProduct(700, 4);
    const { token } = h.token();
    h.payment.mode = 'capture-then-garble';

    const res = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));

    // The capture happened: reading the broken 201 as a decline would cancel a charged order.
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('PAYMENT_PENDING');
    expect(h.payment.payments.get(res.body.id)?.status).toBe('CAPTURED');
    h.payment.mode = 'normal';
    await eventually(async () => (await orderStatus(token, res.body.id)) === 'PAID');
    expect([...h.payment.payments.keys()].filter((id) => id === res.body.id)).toHaveLength(1);
    expect(h.payment.chargeCalls.filter((id) => id === res.body.id).length).toBeGreaterThan(1);
  });
});

describe('the order service’s clients against a server that breaks the contract', () => {
  let server: Server;
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  let client: ServiceClient;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new ServiceClient({
      name: 'product',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    });
  });
  afterAll(async () => {
    await client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a lookup whose items lack a currency is an UpstreamContractError naming the field', async () => {
    answer = {
      status: 200,
      body: { items: [{ id: randomUUID(), sku: 'A', name: 'A', priceCents: 1, stock: 1 }] },
    };
    const lookup = createProductClient(client).lookup([randomUUID()]);
    await expect(lookup).rejects.toBeInstanceOf(UpstreamContractError);
    await expect(lookup).rejects.toThrow(/items\.0\.currency/);
  });

  it('a 409 without the codes the reservation route answers is an UpstreamContractError', async () => {
    answer = { status: 409, body: { code: 'INSUFFICIENT_STOCK' } };
    await expect(
      createProductClient(client).reserve(randomUUID(), [{ productId: randomUUID(), quantity: 1 }]),
    ).rejects.toMatchObject({ code: 'UPSTREAM_CONTRACT_VIOLATION', dependency: 'product' });
  });

  it('a release answered with a status the route does not declare is an UpstreamContractError', async () => {
    answer = { status: 202, body: { status: 'RELEASED' } };
    await expect(createProductClient(client).release(randomUUID())).rejects.toBeInstanceOf(
      UpstreamContractError,
    );
  });

  it('a charge answered 201 with an unreadable body is an unknown outcome, not a decline', async () => {
    answer = { status: 201, body: { id: 42, status: 'CAPTURED' } };
    const outcome = await createPaymentClient(client).charge({
      orderId: randomUUID(),
      userId: randomUUID(),
      amountCents: 100,
      currency: 'USD',
      token: 'tok_visa',
    });
    expect(outcome).toMatchObject({ kind: 'unknown' });
    expect(outcome.kind === 'unknown' && outcome.reason).toMatch(/outside its contract/);
  });
});
