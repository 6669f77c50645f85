import { randomUUID } from 'node:crypto';
import { createChargeRoute } from '@surge/contracts';
import { DependencyError, UpstreamContractError } from '@surge/errors';
import { ServiceClient } from '@surge/http-client';
import { startAnswerStub, type AnswerStub } from '@surge/testing';
import { createProviderClient } from '../src/clients/provider-client';

/**
 * The provider client against a real HTTP server (@surge/testing's answer stub) that
 * breaks the provider's contract (packages/contracts/src/internal/provider-api.ts): every
 * broken answer is an UpstreamContractError, a DependencyError, which the charge use case
 * reads as an unknown outcome (the payment stays PENDING for a retry with the same key and
 * the reconciler), never as a capture or a decline.
 */
let stub: AnswerStub;
let client: ServiceClient;

beforeAll(async () => {
  stub = await startAnswerStub();
  client = new ServiceClient({ name: 'payment-provider', baseUrl: stub.url });
});
afterAll(async () => {
  await client.close();
  await stub.close();
});

const charge = (orderId: string = randomUUID()) =>
  createProviderClient(client).charge({
    orderId,
    amountCents: 1_000,
    currency: 'USD',
    token: 'tok_visa',
  });

const captured = () => ({
  id: randomUUID(),
  status: 'captured' as const,
  amountCents: 1_000,
  currency: 'USD',
  createdAt: new Date().toISOString(),
});

describe('the provider client when the provider breaks its contract', () => {
  it('reads a well-formed capture, asked for with the order id as the idempotency key', async () => {
    const body = captured();
    const orderId = randomUUID();
    stub.answer(createChargeRoute, 201, body);
    await expect(charge(orderId)).resolves.toEqual({ chargeId: body.id, status: 'captured' });
    expect(stub.requests.at(-1)).toMatchObject({
      method: 'POST',
      url: '/v1/charges',
      headers: { 'idempotency-key': orderId },
      body: { amountCents: 1_000, currency: 'USD', token: 'tok_visa' },
    });
  });

  it('a capture without its charge id is an UpstreamContractError (a dependency failure), not a capture', async () => {
    const { id: _id, ...withoutId } = captured();
    stub.breakContract(201, withoutId);
    const attempt = charge();
    await expect(attempt).rejects.toBeInstanceOf(UpstreamContractError);
    await expect(attempt).rejects.toBeInstanceOf(DependencyError);
    await expect(attempt).rejects.toMatchObject({
      code: 'UPSTREAM_CONTRACT_VIOLATION',
      dependency: 'payment-provider',
    });
  });

  it('a 402 that says "captured" is a contract violation, not a decline', async () => {
    stub.breakContract(402, captured());
    await expect(charge()).rejects.toBeInstanceOf(UpstreamContractError);
  });

  it('a charge state the contract does not know ("pending") is a contract violation', async () => {
    stub.breakContract(200, {
      ...captured(),
      status: 'pending',
      idempotencyKey: 'order-key-1',
      refundId: null,
      refundedAt: null,
    });
    await expect(createProviderClient(client).findCharge('order-key-1')).rejects.toBeInstanceOf(
      UpstreamContractError,
    );
    expect(stub.requests.at(-1)).toMatchObject({ method: 'GET', url: '/v1/charges/order-key-1' });
  });

  it('a status the route does not declare (200 to a charge) is a contract violation', async () => {
    stub.breakContract(200, captured());
    await expect(charge()).rejects.toThrow(/answered 200, which its contract does not allow/);
  });
});
