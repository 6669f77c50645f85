import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver';
import { startTracedProcess } from './support/traced-process';

/**
 * At the edge the dice are rolled per request before any instrumentation (edge-decision.ts):
 * a request that loses makes no span at all, yet its log line has a trace id and the
 * service behind still learns "not sampled" (so it starts no trace of its own); a request
 * that wins is traced as before, server and client span in one trace.
 */
const edgeProxy = path.join(__dirname, 'fixtures', 'edge-proxy.ts');
const clientTrace = '0af7651916cd43dd8448eb211c80319c';
let receiver: OtlpReceiver;
let upstream: Server;
let upstreamUrl: string;
const traceparents: Array<string | undefined> = [];

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  upstream = createServer((req, res) => {
    traceparents.push(req.headers.traceparent as string | undefined);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await receiver.close();
  await new Promise((resolve) => upstream.close(resolve));
});
beforeEach(() => {
  traceparents.length = 0;
});

async function oneRequest(ratio: string, serviceName: string, headers: Record<string, string> = {}) {
  const edge = await startTracedProcess(edgeProxy, {
    OTEL_SDK_DISABLED: 'false',
    OTEL_SERVICE_NAME: serviceName,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_TRACES_SAMPLER_ARG: ratio,
    SURGE_TRACE_SAMPLING: 'edge',
    UPSTREAM_URL: upstreamUrl,
  });
  const answer = await fetch(`${edge.url}/items/1`, { headers });
  expect(answer.status).toBe(200);
  expect(await edge.stop()).toBe(0);
  const logged = edge.lines.find((line) => line.msg === 'forwarding');
  const spans = receiver.spans.filter((span) => span.service === serviceName);
  return { logged, spans };
}

describe('an unsampled request at the edge', () => {
  it('makes no span, logs its trace id and tells the service behind that it is not sampled', async () => {
    const { logged, spans } = await oneRequest('0', 'edge-unsampled');

    expect(spans).toEqual([]);
    expect(traceparents).toHaveLength(1);
    const [, traceId, , flags] = (traceparents[0] ?? '').split('-');
    expect(traceparents[0]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(flags).toBe('00');
    expect(logged?.trace_id).toBe(traceId);
  });

  it("keeps a client's trace id but not its sampled flag", async () => {
    const { spans } = await oneRequest('0', 'edge-unsampled-client', {
      traceparent: `00-${clientTrace}-b7ad6b7169203331-01`,
    });

    expect(spans).toEqual([]);
    expect(traceparents[0]).toMatch(new RegExp(`^00-${clientTrace}-[0-9a-f]{16}-00$`));
  });
});

describe('a sampled request at the edge', () => {
  it('is traced once (one roll of the dice): a server span and its client span, whose context the service behind gets', async () => {
    const { logged, spans } = await oneRequest('1', 'edge-sampled');

    const server = spans.find((span) => span.kind === 'server');
    const client = spans.find((span) => span.kind === 'client');
    expect(server).toBeDefined();
    expect(client?.traceId).toBe(server?.traceId);
    expect(client?.parentSpanId).toBe(server?.spanId);
    expect(traceparents[0]).toBe(`00-${client?.traceId}-${client?.spanId}-01`);
    expect(logged?.trace_id).toBe(server?.traceId);
  });
});
