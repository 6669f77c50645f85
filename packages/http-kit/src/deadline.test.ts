import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@surge/logger';
import { DEADLINE_HEADER, ServiceClient, remainingBudgetMs } from '@surge/http-client';
import { eventually } from '@surge/testing';
import { abortSignalOf, createHttpApp, startServer, type RunningServer } from './index';

/** The deadline middleware through a real app on port 0 (it sits beside the code it tests). */
const logger = createLogger({ service: 'deadline-test', level: 'silent' });
let app: RunningServer;
let downstream: Server;
let downstreamHeaders: IncomingHttpHeaders[];
let client: ServiceClient;
let handled = 0;
/** Settles with the abort reason's name once /long's signal fires. */
let aborted: Promise<string> | undefined;

beforeAll(async () => {
  downstreamHeaders = [];
  downstream = createServer((req, res) => {
    downstreamHeaders.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
  client = new ServiceClient({
    name: 'downstream',
    baseUrl: `http://127.0.0.1:${(downstream.address() as AddressInfo).port}`,
    timeoutMs: 5_000,
  });
  const http = createHttpApp({
    service: 'deadline-test',
    logger,
    readiness: {},
    routes: (express) => {
      express.post('/work', async (req, res) => {
        handled += 1;
        const before = remainingBudgetMs();
        await client.call({ method: 'POST', path: '/next', body: req.body as unknown });
        res.json({ remaining: before ?? null });
      });
      express.get('/long', (_req, res) => {
        const signal = abortSignalOf(res);
        aborted = new Promise((resolve) =>
          signal.addEventListener('abort', () => resolve((signal.reason as Error).name)),
        );
      });
    },
  });
  app = await startServer(http, { port: 0, host: '127.0.0.1', logger, graceMs: 100 });
});

afterAll(async () => {
  await app.stop();
  await client.close();
  downstream.closeAllConnections();
  await new Promise((resolve) => downstream.close(resolve));
});

const post = (headers: Record<string, string>) =>
  fetch(`${app.url}/work`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ n: 1 }),
  });

describe('the deadline middleware', () => {
  it('answers 504 at once, without running the handler, when the budget is already spent', async () => {
    const before = handled;

    const res = await post({ [DEADLINE_HEADER]: '0' });

    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ code: 'DEPENDENCY_TIMEOUT', status: 504 });
    expect(handled).toBe(before);
  });

  it('runs the handler with the deadline in context, and its calls carry what is left of it', async () => {
    const res = await post({ [DEADLINE_HEADER]: '800' });

    const { remaining } = (await res.json()) as { remaining: number };
    expect(res.status).toBe(200);
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(800);
    expect(Number(downstreamHeaders.at(-1)?.[DEADLINE_HEADER])).toBeLessThanOrEqual(remaining);
  });

  it('runs without a deadline when the header is absent or malformed', async () => {
    for (const headers of [{}, { [DEADLINE_HEADER]: 'soon' }]) {
      const res = await post(headers);
      expect(await res.json()).toEqual({ remaining: null });
      // The downstream call still carries the client's own budget.
      expect(Number(downstreamHeaders.at(-1)?.[DEADLINE_HEADER])).toBeLessThanOrEqual(5_000);
    }
  });

  it("aborts the request's abort signal when the client closes the connection", async () => {
    const req = request(`${app.url}/long`);
    req.on('error', () => undefined);
    req.end();
    await eventually(() => aborted !== undefined);

    req.destroy();

    await expect(aborted).resolves.toBe('AbortError');
  });

  it("aborts the request's abort signal when the deadline passes", async () => {
    aborted = undefined;
    const req = request(`${app.url}/long`, { headers: { [DEADLINE_HEADER]: '100' } });
    req.on('error', () => undefined);
    req.end();
    await eventually(() => aborted !== undefined);

    await expect(aborted).resolves.toBe('TimeoutError');
    req.destroy();
  });
});
