import { randomUUID } from 'node:crypto';
import { chargePaymentRoute } from '@surge/contracts';
import { UpstreamContractError } from '@surge/errors';
import { ServiceClient } from '@surge/http-client';
import { eventually, startAnswerStub, type AnswerStub } from '@surge/testing';
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
  let stub: AnswerStub;
  let client: ServiceClient;
  beforeAll(async () => {
    stub = await startAnswerStub();
    client = new ServiceClient({ name: 'product', baseUrl: stub.url });
  });
  afterAll(async () => {
    await client.close();
    await stub.close();
  });

  it('a lookup whose items lack a currency is an UpstreamContractError naming the field', async () => {
    stub.breakContract(200, { items: [{ id: randomUUID(), sku: 'A', name: 'A', priceCents: 1, stock: 1 }] });
    const lookup = createProductClient(client).lookup([randomUUID()]);
    await expect(lookup).rejects.toBeInstanceOf(UpstreamContractError);
    await expect(lookup).rejects.toThrow(/items\.0\.currency/);
  });

  it('a 409 without the codes the reservation route answers is an UpstreamContractError', async () => {
    stub.breakContract(409, { code: 'INSUFFICIENT_STOCK' });
    await expect(
      createProductClient(client).reserve(randomUUID(), [{ productId: randomUUID(), quantity: 1 }]),
    ).rejects.toMatchObject({ code: 'UPSTREAM_CONTRACT_VIOLATION', dependency: 'product' });
  });

  it('a release answered with a status the route does not declare is an UpstreamContractError', async () => {
    stub.breakContract(202, { status: 'RELEASED' });
    const orderId = randomUUID();
    await expect(createProductClient(client).release(orderId)).rejects.toBeInstanceOf(UpstreamContractError);
    // The path is the route's template filled in: the one the contract documents.
    expect(stub.requests.at(-1)).toMatchObject({
      method: 'POST',
      url: `/internal/reservations/${orderId}/release`,
    });
  });

  it('a charge answered 201 with an unreadable body is an unknown outcome, not a decline', async () => {
    stub.breakContract(201, { id: 42, status: 'CAPTURED' });
    const orderId = randomUUID();
    const outcome = await createPaymentClient(client).charge({
      orderId,
      userId: randomUUID(),
      amountCents: 100,
      currency: 'USD',
      token: 'tok_visa',
    });
    expect(outcome).toMatchObject({ kind: 'unknown' });
    expect(outcome.kind === 'unknown' && outcome.reason).toMatch(/outside its contract/);
    // Keyed by the order id, as the payment service and the provider dedupe on it.
    expect(stub.requests.at(-1)).toMatchObject({
      method: 'POST',
      url: '/internal/payments/charge',
      headers: { 'idempotency-key': orderId },
    });
  });

  it('a well-formed capture is read as captured', async () => {
    const orderId = randomUUID();
    const paymentId = randomUUID();
    stub.answer(chargePaymentRoute, 201, {
      id: paymentId,
      orderId,
      status: 'CAPTURED',
      amountCents: 100,
      currency: 'USD',
    });
    const outcome = await createPaymentClient(client).charge({
      orderId,
      userId: randomUUID(),
      amountCents: 100,
      currency: 'USD',
      token: 'tok_visa',
    });
    expect(outcome).toEqual({ kind: 'captured', paymentId });
  });
});
