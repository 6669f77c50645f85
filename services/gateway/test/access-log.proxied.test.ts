import { randomUUID } from 'node:crypto';
import { createTestKeyPair, signTestToken } from '@surge/testing';
import { startTestGateway, type TestGateway } from './support/gateway';
import { send } from './support/http';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

const keys = createTestKeyPair();
let stub: StubUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  stub = await startStubUpstream([keys]);
  gateway = await startTestGateway({
    USER_SERVICE_URL: stub.url,
    ORDER_SERVICE_URL: stub.url,
    UPSTREAM_CONNECTIONS: '1',
  });
});

afterAll(async () => {
  await gateway.stop();
  await stub.close();
});

describe('the access log of proxied requests', () => {
  it('gives each request its own line with its own request id and user, over one shared upstream connection', async () => {
    const requests = Array.from({ length: 5 }, () => ({ id: `log-${randomUUID()}`, userId: randomUUID() }));

    for (const { id, userId } of requests) {
      const answer = await send(gateway.url, '/api/orders', {
        headers: { authorization: `Bearer ${signTestToken(keys, { userId })}`, 'x-request-id': id },
      });
      expect(answer.status).toBe(200);
    }

    for (const { id, userId } of requests) {
      const lines = gateway.logs.filter((entry) => entry.msg === 'request' && entry.requestId === id);
      expect(lines).toEqual([expect.objectContaining({ userId, status: 200, path: '/api/orders' })]);
    }
  });
});
