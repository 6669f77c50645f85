import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningServer } from '@surge/http-kit';
import { createLogger } from '@surge/logger';
import { testRedisUrl, uniqueSuffix } from '@surge/testing';
import { loadConfig } from '../src/config';
import { startStorefront } from '../src/service';

/**
 * A click traced from the browser, at the storefront's edge: a form the page's script
 * posts itself gets its redirect as JSON, and the browser's span of that click is relayed
 * to the collector (here a stand-in that records what it receives) once, and only for a
 * click the storefront saw. The browser suite checks the same in Jaeger.
 */
let running: RunningServer;
let collector: Server;
const received: unknown[] = [];

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const { port } = collector.address() as AddressInfo;
  const config = loadConfig({
    NODE_ENV: 'test',
    // Tests trace nothing unless they ask; this one relays browser spans to its stand-in collector.
    OTEL_SDK_DISABLED: 'false',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/v1/traces`,
    PORT: '0',
    LOG_LEVEL: 'silent',
    REDIS_URL: testRedisUrl('storefront'),
    GATEWAY_URL: 'http://127.0.0.1:9',
    SESSION_KEY_PREFIX: `storefront:test-${uniqueSuffix()}:`,
    SHUTDOWN_GRACE_MS: '1000',
  });
  running = await startStorefront(config, createLogger({ service: 'storefront', level: 'silent' }));
});

afterAll(async () => {
  await running.stop();
  await new Promise<void>((resolve) => collector.close(() => resolve()));
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A session cookie and its form token, as a page hands them out. */
async function session(): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${running.url}/login`);
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
  return { cookie, csrf };
}

/** A form post as trace.js sends it; cancelling without being signed in redirects to the login page. */
async function fetchedPost(traceparent: string): Promise<Response> {
  const { cookie, csrf } = await session();
  return fetch(`${running.url}/orders/${hex(4)}/cancel`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie,
      traceparent,
      'x-surge-navigation': 'fetch',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ _csrf: csrf }),
  });
}

async function reportSpan(traceId: string, overrides: Record<string, string> = {}): Promise<number> {
  const now = Date.now();
  const res = await fetch(`${running.url}/telemetry/browser-span`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      traceparent: `00-${traceId}-${hex(8)}-01`,
      name: 'submit /orders/x/cancel',
      path: '/orders/x/cancel',
      start: String(now - 120),
      end: String(now),
      status: '200',
      ...overrides,
    }),
  });
  return res.status;
}

async function settle(): Promise<void> {
  // The endpoint answers before it exports; a later report that must arrive orders them.
  const marker = hex(16);
  await fetchedPost(`00-${marker}-${hex(8)}-01`);
  await reportSpan(marker);
  for (let i = 0; i < 100 && !exportedTraceIds().includes(marker); i += 1)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

function exportedTraceIds(): string[] {
  return received.flatMap((body) =>
    (
      body as {
        resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string }> }> }>;
      }
    ).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => span.traceId))),
  );
}

describe('a click traced from the browser', () => {
  it('a form posted by the script gets its redirect as JSON, the same place the browser would go', async () => {
    const res = await fetchedPost(`00-${hex(16)}-${hex(8)}-01`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ location: '/login' });
  });

  it("relays the browser's span of a click it saw to the collector as service `browser`, once", async () => {
    const traceId = hex(16);
    await fetchedPost(`00-${traceId}-${hex(8)}-01`);

    expect(await reportSpan(traceId)).toBe(204);
    expect(await reportSpan(traceId)).toBe(204);
    await settle();

    const mine = received.filter((body) => JSON.stringify(body).includes(traceId));
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(mine[0])).toContain('"service.name","value":{"stringValue":"browser"}');
    expect(JSON.stringify(mine[0])).toContain('"name":"submit /orders/x/cancel"');
  });

  it('drops spans of clicks it never saw, of unsampled clicks, and implausible ones, answering 204 all the same', async () => {
    const unseen = hex(16);
    const unsampled = hex(16);
    const tooLong = hex(16);
    await fetchedPost(`00-${unsampled}-${hex(8)}-00`);
    await fetchedPost(`00-${tooLong}-${hex(8)}-01`);

    expect(await reportSpan(unseen)).toBe(204);
    expect(await reportSpan(unsampled)).toBe(204);
    expect(await reportSpan(tooLong, { start: String(Date.now() - 3_600_000) })).toBe(204);
    expect(await reportSpan(hex(16), { traceparent: 'not a traceparent' })).toBe(204);
    await settle();

    for (const traceId of [unseen, unsampled, tooLong]) expect(exportedTraceIds()).not.toContain(traceId);
  });
});
