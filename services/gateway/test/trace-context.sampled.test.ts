import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { eventually } from './support/eventually';
import { send } from './support/http';
import { startTracedGateway, TRACEPARENT, type TracedGateway } from './support/tracing';

/**
 * A sampled request (ratio 1 here) is one trace from the gateway into the service: the
 * gateway's server span, its client span to the upstream under it, and the upstream's
 * traceparent naming that client span as parent (the service's server span hangs there).
 */
let traced: TracedGateway;

beforeAll(async () => {
  traced = await startTracedGateway(1);
});

afterAll(() => traced.stop());

interface Echo {
  url: string;
  headers: Record<string, string>;
}

async function spansOfTrace(traceId: string, count: number): Promise<ReadableSpan[]> {
  return eventually(async () => {
    const spans = (await traced.tracing.finishedSpans()).filter((s) => s.spanContext().traceId === traceId);
    expect(spans).toHaveLength(count);
    return spans;
  });
}

function ofKind(spans: ReadableSpan[], kind: SpanKind): ReadableSpan {
  const found = spans.filter((s) => s.kind === kind);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('a sampled request', () => {
  it('connects the gateway server span, its upstream client span and the upstream', async () => {
    const answer = await send(traced.gateway.url, '/api/products?limit=1', {
      headers: { 'user-agent': 'trace-test' },
    });

    expect(answer.status).toBe(200);
    const [, traceId, parentId, flags] =
      TRACEPARENT.exec(answer.json<Echo>().headers['traceparent'] ?? '') ?? [];
    expect(flags).toBe('01');
    const spans = await spansOfTrace(traceId!, 2);
    const server = ofKind(spans, SpanKind.SERVER);
    const client = ofKind(spans, SpanKind.CLIENT);
    expect(client.spanContext().spanId).toBe(parentId);
    expect(client.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.name).toBe('GET /api/products/*');
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/api/products/*',
      'http.response.status_code': 200,
      'url.path': '/api/products',
      'url.scheme': 'http',
      'user_agent.original': 'trace-test',
    });
    expect(client.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'url.full': `${traced.stub.url}/api/products?limit=1`,
    });
  });

  it("continues a client's trace id under the gateway's own decision", async () => {
    const clientTraceId = '0af7651916cd43dd8448eb211c80319c';
    const clientParent = 'b7ad6b7169203331';

    const answer = await send(traced.gateway.url, '/api/products?limit=2', {
      headers: { traceparent: `00-${clientTraceId}-${clientParent}-00` },
    });

    const [, traceId] = TRACEPARENT.exec(answer.json<Echo>().headers['traceparent'] ?? '') ?? [];
    expect(traceId).toBe(clientTraceId);
    const server = ofKind(await spansOfTrace(clientTraceId, 2), SpanKind.SERVER);
    expect(server.parentSpanContext?.spanId).toBe(clientParent);
  });

  it('names a route the gateway does not serve by its path, and its 4xx is no server error', async () => {
    const notFound = await send(traced.gateway.url, '/api/no-such-route');
    expect(notFound.status).toBe(404);

    const spans = await eventually(async () => {
      const found = (await traced.tracing.finishedSpans()).filter(
        (s) => s.attributes['url.path'] === '/api/no-such-route',
      );
      expect(found).toHaveLength(1);
      return found;
    });
    expect(spans[0]!.attributes['http.response.status_code']).toBe(404);
    expect(spans[0]!.status.code).toBe(SpanStatusCode.UNSET);
  });
});
