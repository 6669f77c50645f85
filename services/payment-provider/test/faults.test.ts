import { eventuallyPasses } from '@surge/testing';
import {
  call,
  chargeRows,
  clearFaults,
  newCharge,
  postCharge,
  setFaults,
  startTestProvider,
  type TestProvider,
} from './support';

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
});
afterEach(() => clearFaults(provider));
afterAll(() => provider.stop());

describe('fault injection', () => {
  it('with latencyMs, answers late but answers', async () => {
    await setFaults(provider, { latencyMs: 300 });
    const started = Date.now();
    const res = await postCharge(provider, newCharge());
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('with latency beyond the caller timeout, still captures after the caller gave up', async () => {
    await setFaults(provider, { latencyMs: 400 });
    const charge = newCharge();
    await expect(postCharge(provider, charge, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    // The capture lands once the latency is over: wait for it, not for a guess of when.
    await eventuallyPasses(async () => expect(await chargeRows(provider, charge.key)).toHaveLength(1));
  });

  it('with errorRate 1, answers 500 problems and captures nothing', async () => {
    await setFaults(provider, { errorRate: 1 });
    const charge = newCharge();
    const res = await postCharge(provider, charge);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(res.body)).not.toMatch(/simulated|at .*\.(ts|js):\d+/);
    expect(await chargeRows(provider, charge.key)).toEqual([]);
  });

  it('with hang, never answers and captures nothing', async () => {
    await setFaults(provider, { hang: true });
    const charge = newCharge();
    await expect(postCharge(provider, charge, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(await chargeRows(provider, charge.key)).toEqual([]);
  });

  it('with dropAfterCapture, commits the capture, drops the answer, and answers the replay', async () => {
    await setFaults(provider, { dropAfterCapture: true });
    const charge = newCharge();
    await expect(postCharge(provider, charge)).rejects.toThrow();
    expect(await chargeRows(provider, charge.key)).toEqual([
      { id: expect.any(String), outcome: 'captured', refund_id: null },
    ]);
    const replay = await postCharge(provider, charge);
    expect(replay.status).toBe(201);
  });

  it('with dropAfterCapture, still answers declines (nothing was captured)', async () => {
    await setFaults(provider, { dropAfterCapture: true });
    const res = await postCharge(provider, newCharge({ token: 'tok_decline' }));
    expect(res.status).toBe(402);
  });

  it('leaves health and the control endpoints alone', async () => {
    await setFaults(provider, { hang: true, errorRate: 1 });
    expect((await call(provider.url, 'GET', '/health/live')).status).toBe(200);
    const faults = await call(provider.adminUrl, 'GET', '/_control/faults');
    expect(faults.body).toEqual({ latencyMs: 0, errorRate: 1, hang: true, dropAfterCommit: false });
  });

  it('after DELETE, behaves normally again', async () => {
    await setFaults(provider, { errorRate: 1 });
    expect((await call(provider.adminUrl, 'DELETE', '/_control/faults')).status).toBe(204);
    expect((await postCharge(provider, newCharge())).status).toBe(201);
  });

  it('rejects an out-of-range fault with 400', async () => {
    const res = await call(provider.adminUrl, 'PUT', '/_control/faults', { body: { errorRate: 2 } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ path: 'errorRate' }] });
  });
});

describe('fault control in production', () => {
  it('cannot be switched on', async () => {
    await expect(startTestProvider({ NODE_ENV: 'production' })).rejects.toThrow(/FAULT_INJECTION/);
  });

  it('is not there at all', async () => {
    const production = await startTestProvider({ NODE_ENV: 'production', FAULT_INJECTION: 'false' });
    try {
      const res = await call(production.adminUrl, 'PUT', '/_control/faults', { body: { hang: true } });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('ROUTE_NOT_FOUND');
    } finally {
      await production.stop();
    }
  });
});
