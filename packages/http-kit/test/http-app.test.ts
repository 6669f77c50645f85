import { Writable } from 'node:stream';
import { DependencyError, NotFoundError } from '@surge/errors';
import { createLogger } from '@surge/logger';
import { ServiceClient } from '@surge/http-client';
import { Router } from 'express';
import { createHttpApp, routeNotFound, startServer, type RunningServer } from '../src';
import { eventually } from '@surge/testing';

/** The kit's common behaviour, through real HTTP on port 0. */
let server: RunningServer;
let slow: RunningServer;
const lines: string[] = [];

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ service: 'kit-test', destination });
  slow = await startServer(
    createHttpApp({
      service: 'slow',
      logger,
      readiness: {},
      routes: (app) =>
        app.get('/slow', async (_req, res) => void setTimeout(() => res.json({}), 2_000).unref()),
    }),
    { port: 0, host: '127.0.0.1', logger, graceMs: 100 },
  );
  const upstream = new ServiceClient({ name: 'slow', baseUrl: slow.url, timeoutMs: 100 });
  const http = createHttpApp({
    service: 'kit-test',
    logger,
    readiness: { always: async () => undefined },
    routes: (app) => {
      app.post('/bare', (_req, res) => void res.status(204).end());
      app.get('/missing', () => {
        throw new NotFoundError('Thing');
      });
      app.get('/upstream', async (_req, res) => void res.json(await upstream.call({ path: '/slow' })));
      app.get('/refused', () => {
        throw new DependencyError('db', 'db is unavailable', {
          cause: new Error('connect ECONNREFUSED 10.0.0.1:5432'),
        });
      });
      const things = Router();
      things.get('/:id', (req, res) => void res.json({ id: req.params.id }));
      things.put('/:id', (_req, res) => void res.status(204).end());
      app.use('/things', things);
      // As the services mount their internal API: its own 404/405 right after it.
      const internal = Router();
      internal.post('/reservations', (_req, res) => void res.status(201).json({}));
      app.use('/internal', internal);
      app.use('/internal', routeNotFound());
      app.get('/bug', () => {
        throw new Error('SELECT * FROM secrets failed at line 3');
      });
    },
  });
  server = await startServer(http, {
    port: 0,
    host: '127.0.0.1',
    logger,
    graceMs: 100,
    cleanups: [() => upstream.close()],
  });
});

afterAll(async () => {
  await server.stop();
  await slow.stop();
});

describe('the HTTP kit', () => {
  it('accepts a bare POST with Content-Length 0 and no content type', async () => {
    const res = await fetch(`${server.url}/bare`, { method: 'POST' });
    expect(res.status).toBe(204);
  });

  it('logs the whole path of a request a router mounted at a prefix answered', async () => {
    const res = await fetch(`${server.url}/things/42?x=1`);
    expect(res.status).toBe(200);

    const line = await eventually(() =>
      lines
        .flatMap((text) => text.split('\n'))
        .filter(Boolean)
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((entry) => entry.msg === 'request' && entry.route === '/things/:id'),
    );
    expect(line).toMatchObject({ method: 'GET', path: '/things/42', status: 200 });
  });

  it('answers 405 with Allow for a method a path does not declare, 404 for a path nobody serves', async () => {
    const trace = await fetch(`${server.url}/things/42`, { method: 'DELETE' });
    expect(trace.status).toBe(405);
    expect(trace.headers.get('allow')).toBe('GET, HEAD, PUT');
    expect(await trace.json()).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });

    const bare = await fetch(`${server.url}/bare`);
    expect(bare.status).toBe(405);
    expect(bare.headers.get('allow')).toBe('POST');

    // Under a mount point with its own routeNotFound (schemathesis' TRACE found a 404 here).
    const mounted = await fetch(`${server.url}/internal/reservations`, { method: 'DELETE' });
    expect(mounted.status).toBe(405);
    expect(mounted.headers.get('allow')).toBe('POST');
    expect((await fetch(`${server.url}/internal/nothing`, { method: 'POST' })).status).toBe(404);

    const unknown = await fetch(`${server.url}/things/42/parts`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('allow')).toBeNull();
    expect(await unknown.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });

  it('rejects an x-request-id longer than the contract allows with a 400 problem, echoes a sane one and replaces an odd one', async () => {
    const tooLong = await fetch(`${server.url}/bare`, {
      method: 'POST',
      headers: { 'x-request-id': 'a'.repeat(129) },
    });
    expect(tooLong.status).toBe(400);
    const problem = (await tooLong.json()) as {
      code: string;
      errors: Array<{ path: string }>;
      requestId: string;
    };
    expect(problem).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'x-request-id' }] });
    expect(problem.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(tooLong.headers.get('x-request-id')).toBe(problem.requestId);

    const longest = await fetch(`${server.url}/bare`, {
      method: 'POST',
      headers: { 'x-request-id': 'a'.repeat(128) },
    });
    expect(longest.status).toBe(204);
    expect(longest.headers.get('x-request-id')).toBe('a'.repeat(128));

    const odd = await fetch(`${server.url}/bare`, { method: 'POST', headers: { 'x-request-id': 'a b<c>' } });
    expect(odd.status).toBe(204);
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an AppError with its problem document and status', async () => {
    const res = await fetch(`${server.url}/missing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      title: 'Not Found',
      detail: 'Thing not found',
    });
  });

  it('turns an upstream timeout into a 504 problem, not a 500', async () => {
    const res = await fetch(`${server.url}/upstream`);
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ code: 'DEPENDENCY_TIMEOUT' });
  });

  it('answers a dependency failure with 503 and never shows its cause', async () => {
    const res = await fetch(`${server.url}/refused`);
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(text).not.toContain('10.0.0.1');
  });

  it('answers a bug with a bare 500 and logs its stack', async () => {
    const res = await fetch(`${server.url}/bug`);
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(500);
    expect(body).toMatchObject({ code: 'INTERNAL', detail: 'An unexpected error occurred.' });
    expect(JSON.stringify(body)).not.toContain('SELECT');
    expect(lines.join('')).toContain('SELECT * FROM secrets failed');
  });

  it('serves metrics and readiness details on the admin listener only, on loopback', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect(await (await fetch(`${server.url}/health/ready`)).json()).toEqual({ status: 'up' });
    expect(new URL(server.adminUrl).hostname).toBe('127.0.0.1');
    expect(await (await fetch(`${server.adminUrl}/metrics`)).text()).toContain('http_requests_total');
    expect(await (await fetch(`${server.adminUrl}/health/ready`)).json()).toEqual({
      status: 'up',
      shuttingDown: false,
      checks: { always: 'up' },
    });
  });

  it('marks every answer nosniff and not cacheable unless a route says otherwise', async () => {
    const res = await fetch(`${server.url}/missing`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('reports not ready while shutting down', async () => {
    const extra = await startServer(
      createHttpApp({
        service: 'x',
        logger: createLogger({ service: 'x', level: 'silent' }),
        readiness: {},
        routes: () => undefined,
      }),
      {
        port: 0,
        host: '127.0.0.1',
        logger: createLogger({ service: 'x', level: 'silent' }),
        // Both requests below must be answered before the drain ends and the listeners close.
        drainDelayMs: 3_000,
      },
    );
    const stopping = extra.stop();
    const res = await fetch(`${extra.url}/health/ready`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'down' });
    const details = await fetch(`${extra.adminUrl}/health/ready`);
    expect(await details.json()).toMatchObject({ shuttingDown: true });
    await stopping;
  });
});

describe('dependency outages at the HTTP edge', () => {
  it('answers a database or cache connection failure with 503 and Retry-After, not 500', async () => {
    const logger = createLogger({ service: 'outage', level: 'silent' });
    const outage = await startServer(
      createHttpApp({
        service: 'outage',
        logger,
        readiness: {},
        routes: (app) => {
          app.get('/pg', () => {
            throw Object.assign(new Error('terminating connection due to administrator command'), {
              code: '57P01',
            });
          });
          app.get('/refused', () => {
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
          });
        },
      }),
      { port: 0, host: '127.0.0.1', logger },
    );
    for (const path of ['/pg', '/refused']) {
      const res = await fetch(`${outage.url}${path}`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await res.text()).not.toContain('127.0.0.1');
    }
    await outage.stop();
  });
});
