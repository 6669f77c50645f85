import { send } from './support/http';
import { startTestGateway, type TestGateway } from './support/gateway';
import { startStubUpstream, type StubUpstream } from './support/stub-upstream';

/**
 * API routes are served by the public listener outside express's router, but development
 * fault injection is a step of express's chain: with FAULT_INJECTION on, proxied routes
 * must still meet the faults that are switched on (npm run stack -- fault gateway ...).
 */
let upstream: StubUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startStubUpstream();
  gateway = await startTestGateway({
    USER_SERVICE_URL: upstream.url,
    PRODUCT_SERVICE_URL: upstream.url,
    FAULT_INJECTION: 'true',
  });
});

afterAll(async () => {
  await gateway.stop();
  await upstream.close();
});

afterEach(async () => {
  await send(gateway.adminUrl, '/_control/faults', { method: 'DELETE' });
});

describe('a proxied route with fault injection on', () => {
  it('is answered by the injected fault while one is switched on, and reaches its upstream once it is off', async () => {
    const switchedOn = await send(gateway.adminUrl, '/_control/faults', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1 }),
    });
    expect(switchedOn.status).toBe(200);
    const before = upstream.requestsTo('/api/products').length;

    const faulted = await send(gateway.url, '/api/products?limit=1');
    await send(gateway.adminUrl, '/_control/faults', { method: 'DELETE' });
    const served = await send(gateway.url, '/api/products?limit=1');

    expect(faulted.status).toBe(500);
    expect(faulted.json()).toMatchObject({ code: 'FAULT_INJECTED' });
    expect(faulted.headers['x-request-id']).toBeDefined();
    expect(served.status).toBe(200);
    expect(upstream.requestsTo('/api/products').length).toBe(before + 1);
  });
});
