import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { eventually } from '@surge/testing';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { startTracedProcess, type TracedProcess } from './support/traced-process';

/**
 * A service under the register decides each request's sampling before the HTTP
 * instrumentation (src/request-sampling.ts): seen from outside, an unsampled request
 * exports nothing and passes its parent on with flags 00; a sampled one exports the
 * spans it always did, under the caller's span.
 */
const fixture = path.join(__dirname, 'fixtures', 'sampled-first-service.ts');
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;
let receiver: OtlpReceiver;
let downstream: Server;
let service: TracedProcess;
/** The traceparent the downstream was sent, per item id. */
const seen = new Map<string, string | undefined>();

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  downstream = createServer((req, res) => {
    seen.set(req.url?.split('/').pop() ?? '', req.headers.traceparent as string | undefined);
    res.end('ok');
  });
  await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
  service = await startTracedProcess(fixture, {
    OTEL_SDK_DISABLED: 'false',
    OTEL_SERVICE_NAME: 'sampled-first',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    // Every direct caller traced: only a caller's flags 00 leaves a request unsampled.
    OTEL_TRACES_SAMPLER_ARG: '1',
    DOWNSTREAM_URL: `http://127.0.0.1:${(downstream.address() as AddressInfo).port}`,
  });
});

afterAll(async () => {
  await service?.stop();
  await new Promise((resolve) => downstream?.close(resolve));
  await receiver?.close();
});

const hex = (length: number) =>
  Array.from({ length }, () => Math.floor(Math.random() * 16).toString(16)).join('');

async function read(item: string, traceparent?: string): Promise<Response> {
  const answer = await fetch(`${service.url}/items/${item}`, {
    headers: traceparent ? { traceparent } : {},
  });
  await answer.arrayBuffer();
  return answer;
}

function spansOf(traceId: string): ReceivedSpan[] {
  return receiver.spans.filter((span) => span.traceId === traceId);
}

describe('a service that samples before the instrumentation', () => {
  // The instrumentation marks the error handler wrapped without wrapping it; taking it for
  // a wrapped layer once replaced it with a three-parameter one, and express then passed
  // every error by, to its HTML page with the stack (a checkout answered that).
  it.each([
    ['unsampled', '00'],
    ['sampled', '01'],
  ])('when a route fails, its error handler answers (%s)', async (_name, flags) => {
    const answer = await fetch(`${service.url}/fails`, {
      headers: { traceparent: `00-${hex(32)}-${hex(16)}-${flags}` },
    });

    expect(answer.status).toBe(503);
    expect(await answer.json()).toEqual({ code: 'HANDLED' });
  });

  it('when the caller did not sample, it exports no span and sends the parent on with flags 00', async () => {
    const traceId = hex(32);
    const item = `unsampled-${hex(8)}`;

    const answer = await read(item, `00-${traceId}-${hex(16)}-00`);

    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-middleware')).toBe('ran');
    const sent = TRACEPARENT.exec(seen.get(item) ?? '');
    expect(sent?.[1]).toBe(traceId);
    expect(sent?.[3]).toBe('00');
    const logged = await eventually(
      () => service.lines.find((line) => line.msg === 'item read' && line.item === item),
      { what: 'the log line' },
    );
    expect(logged.trace_id).toBe(traceId);
    // A sampled request after it: once its spans are in, an unsampled span would be too.
    const sampledTrace = hex(32);
    await read(`after-${hex(8)}`, `00-${sampledTrace}-${hex(16)}-01`);
    await eventually(() => (spansOf(sampledTrace).length >= 3 ? true : undefined), {
      what: 'the sampled request after it to export',
    });
    expect(spansOf(traceId)).toEqual([]);
  });

  it('when the caller did not sample a request with a body, its handler still runs under the parent', async () => {
    const traceId = hex(32);
    const item = `unsampled-body-${hex(8)}`;

    const answer = await fetch(`${service.url}/items/${item}`, {
      method: 'POST',
      headers: { traceparent: `00-${traceId}-${hex(16)}-00`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(100_000) }),
    });

    expect(answer.status).toBe(201);
    const sent = TRACEPARENT.exec(seen.get(item) ?? '');
    expect(sent?.[1]).toBe(traceId);
    expect(sent?.[3]).toBe('00');
  });

  it("when the caller sampled, it exports today's spans under the caller's span", async () => {
    const traceId = hex(32);
    const parentId = hex(16);
    const item = `sampled-${hex(8)}`;

    const answer = await read(item, `00-${traceId}-${parentId}-01`);

    expect(answer.status).toBe(200);
    const spans = await eventually(
      () => {
        const found = spansOf(traceId);
        return found.length >= 3 ? found : undefined;
      },
      { what: 'the sampled spans' },
    );
    const server = spans.find((s) => s.kind === 'server');
    expect(server).toMatchObject({ name: 'GET /items/:id', parentSpanId: parentId });
    expect(server?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/items/:id',
      'http.response.status_code': 200,
      'url.path': `/items/${item}`,
    });
    // The express instrumentation's route span, as it names it under express 5.
    const handler = spans.find((s) => s.kind === 'internal' && s.name.startsWith('request handler'));
    expect(handler?.parentSpanId).toBe(server?.spanId);
    const client = spans.find((s) => s.kind === 'client');
    expect(TRACEPARENT.exec(seen.get(item) ?? '')?.slice(1)).toEqual([traceId, client?.spanId, '01']);
  });

  it('when a direct caller sends no traceparent, it follows the sampler ratio (here every request)', async () => {
    const item = `direct-${hex(8)}`;

    await read(item);

    const sent = TRACEPARENT.exec(seen.get(item) ?? '');
    expect(sent?.[3]).toBe('01');
    const server = await eventually(() => spansOf(sent?.[1] ?? '').find((s) => s.kind === 'server'), {
      what: 'the root server span',
    });
    expect(server).toMatchObject({ name: 'GET /items/:id', parentSpanId: '' });
  });
});
