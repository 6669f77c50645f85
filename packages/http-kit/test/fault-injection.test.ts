import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createLogger } from '@surge/logger';
import { withTransaction } from '@surge/postgres';
import { callJson, provisionTestDatabase } from '@surge/testing';
import { createHttpApp, markNothingCommitted, startServer, type RunningServer } from '../src';

/**
 * Development fault injection through real HTTP on port 0, over a real Postgres for the
 * work that drop-after-commit must let happen.
 */
const silent = createLogger({
  service: 'faults-test',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});
let pool: Pool;
let server: RunningServer;
let handled = 0;

async function startKit(faultInjection: boolean): Promise<RunningServer> {
  return startServer(
    createHttpApp({
      service: 'faults-test',
      logger: silent,
      readiness: {},
      faultInjection,
      routes: (app) => {
        app.get('/things', (_req, res) => {
          handled += 1;
          res.json({ ok: true });
        });
        // A write: one committed row per request; a replay of a known id changes nothing.
        app.post('/things/:id', async (req, res) => {
          const inserted = await withTransaction(pool, async (tx) =>
            tx.query('INSERT INTO things (id) VALUES ($1) ON CONFLICT DO NOTHING', [req.params.id]),
          );
          if (inserted.rowCount === 0) markNothingCommitted(res);
          res.status(inserted.rowCount === 0 ? 200 : 201).json({ id: req.params.id });
        });
      },
    }),
    { port: 0, host: '127.0.0.1', logger: silent, graceMs: 100 },
  );
}

const put = (body: unknown) => callJson(server.adminUrl, 'PUT', '/_control/faults', { body });
const rows = async (id: string) => (await pool.query('SELECT id FROM things WHERE id = $1', [id])).rows;

beforeAll(async () => {
  pool = new Pool({ connectionString: await provisionTestDatabase('surge_kit_faults_test'), max: 2 });
  await pool.query('CREATE TABLE IF NOT EXISTS things (id text PRIMARY KEY)');
  server = await startKit(true);
});
afterEach(() => callJson(server.adminUrl, 'DELETE', '/_control/faults'));
afterAll(async () => {
  await server.stop();
  await pool.end();
});

describe('fault injection in development', () => {
  it('with latency, answers late but answers', async () => {
    await put({ latencyMs: 300 });
    const started = Date.now();
    expect((await callJson(server.url, 'GET', '/things')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('with error-rate 1, answers a 500 problem with the stable code and handles nothing', async () => {
    await put({ errorRate: 1 });
    const before = handled;
    const res = await callJson(server.url, 'GET', '/things');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'FAULT_INJECTED', status: 500, type: '/problems/fault-injected' });
    expect(handled).toBe(before);
  });

  it('with hang, never answers, so the caller timeout fires, and handles nothing', async () => {
    await put({ hang: true });
    const before = handled;
    await expect(
      callJson(server.url, 'GET', '/things', { signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow(/abort|timeout/i);
    expect(handled).toBe(before);
  });

  it('with drop-after-commit, commits the work, and the client sees a dropped connection', async () => {
    await put({ dropAfterCommit: true });
    const id = randomUUID();
    await expect(callJson(server.url, 'POST', `/things/${id}`)).rejects.toThrow(
      /fetch failed|socket|closed/i,
    );
    expect(await rows(id)).toEqual([{ id }]);
  });

  it('with drop-after-commit, still answers reads and replays that committed nothing', async () => {
    const id = randomUUID();
    expect((await callJson(server.url, 'POST', `/things/${id}`)).status).toBe(201);
    await put({ dropAfterCommit: true });
    expect((await callJson(server.url, 'POST', `/things/${id}`)).status).toBe(200);
    expect((await callJson(server.url, 'GET', '/things')).status).toBe(200);
  });

  it('is controlled on the admin listener only, never on the public port', async () => {
    const res = await callJson(server.url, 'PUT', '/_control/faults', { body: { errorRate: 1 } });
    expect(res.status).toBe(404);
    expect((await callJson(server.url, 'GET', '/things')).status).toBe(200);
    expect((await callJson(server.url, 'GET', '/metrics')).status).toBe(404);
  });

  it('leaves health, metrics and the control endpoint alone', async () => {
    await put({ hang: true, errorRate: 1 });
    expect((await callJson(server.url, 'GET', '/health/live')).status).toBe(200);
    expect((await fetch(`${server.adminUrl}/metrics`)).status).toBe(200);
    const state = await callJson(server.adminUrl, 'GET', '/_control/faults');
    expect(state.body).toEqual({ latencyMs: 0, errorRate: 1, hang: true, dropAfterCommit: false });
  });

  it('after clear, behaves normally again', async () => {
    await put({ errorRate: 1 });
    expect((await callJson(server.adminUrl, 'DELETE', '/_control/faults')).status).toBe(204);
    expect((await callJson(server.url, 'GET', '/things')).status).toBe(200);
  });

  it.each([
    [{ errorRate: 2 }, 'errorRate'],
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ hang: 'yes' }, 'hang'],
  ])('rejects bad control input %j with a 400 problem naming the field', async (body, field) => {
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: field }] });
  });

  it('rejects an unknown fault with a 400 problem', async () => {
    const res = await put({ packetLoss: 0.5 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('fault injection in production', () => {
  it('has no control endpoint and injects nothing', async () => {
    const production = await startKit(false);
    try {
      const res = await callJson(production.url, 'PUT', '/_control/faults', { body: { hang: true } });
      expect(res.status).toBe(404);
      const admin = await callJson(production.adminUrl, 'PUT', '/_control/faults', { body: { hang: true } });
      expect(admin.status).toBe(404);
      expect(res.body.code).toBe('ROUTE_NOT_FOUND');
      expect((await callJson(production.url, 'GET', '/things')).status).toBe(200);
    } finally {
      await production.stop();
    }
  });
});
