import { send } from './support/http';
import { startTracedGateway, TRACEPARENT, type TracedGateway } from './support/tracing';

/**
 * A request the gateway does not sample (ratio 0 here) must still tell the services so,
 * or each would start a trace of its own: the upstream gets a traceparent with flags 00.
 * And nothing is recorded for it in the gateway.
 */
let traced: TracedGateway;

beforeAll(async () => {
  traced = await startTracedGateway(0);
});

afterAll(() => traced.stop());

interface Echo {
  headers: Record<string, string>;
}

describe('an unsampled request', () => {
  it('reaches the upstream with a traceparent whose flags say unsampled', async () => {
    const answer = await send(traced.gateway.url, '/api/products?limit=1');

    expect(answer.status).toBe(200);
    expect(answer.json<Echo>().headers['traceparent']).toMatch(TRACEPARENT);
    expect(answer.json<Echo>().headers['traceparent']?.endsWith('-00')).toBe(true);
  });

  it("keeps a client's trace id but not its sampled flag, nor its parent id", async () => {
    const clientTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const clientParent = '00f067aa0ba902b7';

    const answer = await send(traced.gateway.url, '/api/products?limit=2', {
      headers: { traceparent: `00-${clientTraceId}-${clientParent}-01` },
    });

    const [, traceId, parentId, flags] =
      TRACEPARENT.exec(answer.json<Echo>().headers['traceparent'] ?? '') ?? [];
    expect({ traceId, flags }).toEqual({ traceId: clientTraceId, flags: '00' });
    expect(parentId).not.toBe(clientParent);
  });

  it('logs under the trace id the upstream got, though no span exists for it', async () => {
    const answer = await send(traced.gateway.url, '/api/products?limit=4');

    const [, traceId] = TRACEPARENT.exec(answer.json<Echo>().headers['traceparent'] ?? '') ?? [];
    const requestId = answer.headers['x-request-id'];
    const accessLine = traced.gateway.logs.find(
      (line) => line.requestId === requestId && line.msg === 'request',
    );
    expect(traceId).toBeDefined();
    expect(accessLine?.trace_id).toBe(traceId);
  });

  it('records no span in the gateway', async () => {
    await send(traced.gateway.url, '/api/products?limit=3');
    await send(traced.gateway.url, '/no-such-page');

    expect(await traced.tracing.finishedSpans()).toEqual([]);
  });
});
