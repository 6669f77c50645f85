import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DependencyError, UpstreamContractError } from '@surge/errors';
import { ServiceClient } from '@surge/http-client';
import { createProviderClient } from '../src/clients/provider-client';

/**
 * The provider client against a real HTTP server that breaks the provider's contract
 * (packages/contracts/src/internal/provider-api.ts): every broken answer is an
 * UpstreamContractError, a DependencyError, which the charge use case reads as an
 * unknown outcome (the payment stays PENDING for a retry with the same key and the
 * reconciler), never as a capture or a decline.
 */
let server: Server;
let answer: { status: number; body: unknown } = { status: 200, body: {} };
let client: ServiceClient;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new ServiceClient({
    name: 'payment-provider',
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
});
afterAll(async () => {
  await client.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const charge = () =>
  createProviderClient(client).charge({
    orderId: randomUUID(),
    amountCents: 1_000,
    currency: 'USD',
    token: 'tok_visa',
  });

const captured = () => ({
  id: randomUUID(),
  status: 'captured',
  amountCents: 1_000,
  currency: 'USD',
  createdAt: new Date().toISOString(),
});

describe('the provider client when the provider breaks its contract', () => {
  it('reads a well-formed capture', async () => {
    const body = captured();
    answer = { status: 201, body };
    await expect(charge()).resolves.toEqual({ chargeId: body.id, status: 'captured' });
  });

  it('a capture without its charge id is an UpstreamContractError (a dependency failure), not a capture', async () => {
    const { id: _id, ...withoutId } = captured();
    answer = { status: 201, body: withoutId };
    const attempt = charge();
    await expect(attempt).rejects.toBeInstanceOf(UpstreamContractError);
    await expect(attempt).rejects.toBeInstanceOf(DependencyError);
    await expect(attempt).rejects.toMatchObject({
      code: 'UPSTREAM_CONTRACT_VIOLATION',
      dependency: 'payment-provider',
    });
  });

  it('a 402 that says "captured" is a contract violation, not a decline', async () => {
    answer = { status: 402, body: captured() };
    await expect(charge()).rejects.toBeInstanceOf(UpstreamContractError);
  });

  it('a charge state the contract does not know ("pending") is a contract violation', async () => {
    answer = {
      status: 200,
      body: {
        ...captured(),
        status: 'pending',
        idempotencyKey: 'order-key-1',
        refundId: null,
        refundedAt: null,
      },
    };
    await expect(createProviderClient(client).findCharge('order-key-1')).rejects.toBeInstanceOf(
      UpstreamContractError,
    );
  });

  it('a status the route does not declare (200 to a charge) is a contract violation', async () => {
    answer = { status: 200, body: captured() };
    await expect(charge()).rejects.toThrow(/answered 200, which its contract does not allow/);
  });
});
