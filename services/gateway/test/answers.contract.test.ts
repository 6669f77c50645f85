import { contractViolations } from '@surge/contracts';
import { startTestGateway, type TestGateway } from './support/gateway';
import { send, type Answer } from './support/http';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

/**
 * What the gateway answers by itself is what the public contract documents for the route
 * (packages/contracts/src/public/routes.ts adds these statuses to every proxied route):
 * a bad token, a body too large or not JSON, and its own health endpoints.
 */
let stub: StubUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  stub = await startStubUpstream();
  gateway = await startTestGateway({
    USER_SERVICE_URL: stub.url,
    PRODUCT_SERVICE_URL: stub.url,
    ORDER_SERVICE_URL: stub.url,
    BODY_LIMIT_BYTES: '1024',
  });
});

afterAll(async () => {
  await gateway.stop();
  await stub.close();
});

function expectContract(operationId: string, answer: Answer, status: number): void {
  expect(answer.status).toBe(status);
  expect(contractViolations(operationId, answer.status, answer.json())).toEqual([]);
}

describe("the gateway's own answers follow the contract", () => {
  it('a bad token on a public route, and none on a protected one, are documented 401s', async () => {
    const badToken = { authorization: 'Bearer not.a.token' };

    expectContract('listProducts', await send(gateway.url, '/api/products', { headers: badToken }), 401);
    expectContract('getCart', await send(gateway.url, '/api/cart'), 401);
  });

  it('a body over the limit is a documented 413, a body that is not JSON a documented 415', async () => {
    const json = { 'content-type': 'application/json' };

    expectContract(
      'register',
      await send(gateway.url, '/api/auth/register', {
        method: 'POST',
        headers: json,
        body: 'x'.repeat(2048),
      }),
      413,
    );
    expectContract(
      'register',
      await send(gateway.url, '/api/auth/register', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      }),
      415,
    );
  });

  it('its health endpoints answer the documented shapes', async () => {
    expectContract('getLiveness', await send(gateway.url, '/health/live'), 200);
    expectContract('getReadiness', await send(gateway.url, '/health/ready'), 200);
    const summary = await send(gateway.url, '/health');
    expect(contractViolations('getHealthSummary', summary.status, summary.json())).toEqual([]);
  });
});
