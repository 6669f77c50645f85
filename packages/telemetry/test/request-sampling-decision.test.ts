import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { context, ROOT_CONTEXT, SpanKind, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { AlwaysOffSampler, SamplingDecision } from '@opentelemetry/sdk-trace';
import { EdgeDecisionSampler } from '../src/edge-policy';
import {
  sampleRequestsFirst,
  setRequestSamplingPolicy,
  skipLayerSpansWhenUnsampled,
  type RequestSamplingPolicy,
} from '../src/request-sampling';
import { startInMemorySdk, type InMemorySdk } from '../src/testing';

/**
 * The decision a server makes before the HTTP instrumentation (src/request-sampling.ts),
 * with a stand-in for the instrumentation: a wrapped `emit` that asks the SDK's sampler
 * about its server span, as the instrumentation does, and keeps the original as
 * `__original`, as the instrumentation's wrapper does.
 */
const traceId = '0af7651916cd43dd8448eb211c80319c';
const spanId = 'b7ad6b7169203331';
// The SDK's own sampler would never sample: a sampled answer below is the listener's decision.
const sampler = new EdgeDecisionSampler(new AlwaysOffSampler());
let sdk: InMemorySdk;

beforeAll(() => {
  // For its context manager only: context.with must carry the unsampled parent.
  sdk = startInMemorySdk();
});
afterAll(() => sdk.telemetry.shutdown());

interface Seen {
  /** The stand-in instrumentation's sampling decisions, one per request it saw. */
  instrumented: SamplingDecision[];
  /** The span context active in the request listener, per request. */
  active: Array<SpanContext | undefined>;
  server: Server;
}

function serverDeciding(policy: RequestSamplingPolicy | undefined): Seen {
  setRequestSamplingPolicy(policy);
  const seen: Seen = { instrumented: [], active: [], server: createServer() };
  const original = EventEmitter.prototype.emit;
  const instrumented = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      seen.instrumented.push(
        sampler.shouldSample(ROOT_CONTEXT, traceId, 'GET', SpanKind.SERVER, {}, []).decision,
      );
    }
    return original.call(this, event, ...args);
  };
  Object.defineProperty(instrumented, '__original', { value: original });
  seen.server.emit = instrumented as Server['emit'];
  seen.server.on('request', () => seen.active.push(trace.getSpanContext(context.active())));
  sampleRequestsFirst(seen.server);
  return seen;
}

function emitRequest(seen: Seen, url: string, traceparent?: string): void {
  const req = {
    url,
    method: 'GET',
    headers: traceparent ? { traceparent } : {},
  } as unknown as IncomingMessage;
  seen.server.emit('request', req, {});
}

afterEach(() => setRequestSamplingPolicy(undefined));

describe('a server deciding sampling before the instrumentation', () => {
  it("follows a caller's unsampled flag: the instrumentation never sees the request, the caller's span context is active", () => {
    const seen = serverDeciding({ ratio: 1, followRemoteDecision: true });

    emitRequest(seen, '/api/products/1', `00-${traceId}-${spanId}-00`);

    expect(seen.instrumented).toEqual([]);
    expect(seen.active).toEqual([{ traceId, spanId, traceFlags: TraceFlags.NONE, isRemote: true }]);
  });

  it("follows a caller's sampled flag: the instrumentation traces it", () => {
    const seen = serverDeciding({ ratio: 0, followRemoteDecision: true });

    emitRequest(seen, '/api/products/1', `00-${traceId}-${spanId}-01`);

    // The parent-based sampler follows the flag itself; the stand-in has no parent here.
    expect(seen.instrumented).toHaveLength(1);
  });

  it('when a direct caller wins the dice, the server span is sampled once, not rolled again', () => {
    const seen = serverDeciding({ ratio: 1, followRemoteDecision: true });

    emitRequest(seen, '/api/products/1');

    expect(seen.instrumented).toEqual([SamplingDecision.RECORD_AND_SAMPLED]);
    // The decision was for that server span only.
    expect(sampler.shouldSample(ROOT_CONTEXT, traceId, 'GET', SpanKind.SERVER, {}, []).decision).toBe(
      SamplingDecision.NOT_RECORD,
    );
  });

  it('when a direct caller loses the dice, its request runs under new unsampled ids', () => {
    const seen = serverDeciding({ ratio: 0, followRemoteDecision: true });

    emitRequest(seen, '/api/products/1');

    expect(seen.instrumented).toEqual([]);
    expect(seen.active[0]).toMatchObject({ traceFlags: TraceFlags.NONE, isRemote: false });
    expect(seen.active[0]?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("at the edge, a client's sampled flag does not decide; its trace id is kept", () => {
    const seen = serverDeciding({ ratio: 0, followRemoteDecision: false });

    emitRequest(seen, '/api/products/1', `00-${traceId}-${spanId}-01`);

    expect(seen.instrumented).toEqual([]);
    expect(seen.active[0]).toMatchObject({ traceId, traceFlags: TraceFlags.NONE, isRemote: false });
    expect(seen.active[0]?.spanId).not.toBe(spanId);
  });

  it('leaves probes and every request without a policy to the instrumentation', () => {
    const seen = serverDeciding({ ratio: 0, followRemoteDecision: true });
    emitRequest(seen, '/health/ready');
    setRequestSamplingPolicy(undefined);
    emitRequest(seen, '/api/products/1', `00-${traceId}-${spanId}-00`);

    expect(seen.instrumented).toHaveLength(2);
  });
});

describe('skipLayerSpansWhenUnsampled', () => {
  it('calls a wrapped layer unwrapped for an unsampled request, wrapped for the others, in nested routers too', () => {
    const calls: string[] = [];
    const wrap = (name: string, inner: object = {}) => {
      const original = Object.assign(
        (_req: unknown, _res: unknown, _next: unknown) => calls.push(`${name} original`),
        inner,
      );
      const wrapped = Object.assign(
        (_req: unknown, _res: unknown, _next: unknown) => calls.push(`${name} wrapped`),
        inner,
      );
      Object.defineProperty(wrapped, '__original', { value: original });
      Object.defineProperty(wrapped, '__wrapped', { value: true });
      return wrapped;
    };
    const errorHandler = (_error: unknown, _req: unknown, _res: unknown, _next: unknown) =>
      calls.push('error');
    // As the instrumentation's wrap leaves an error handler: marked, and its own original.
    Object.defineProperty(errorHandler, '__original', { value: errorHandler });
    Object.defineProperty(errorHandler, '__wrapped', { value: true });
    const inner = { handle: wrap('inner') };
    const router = { stack: [{ handle: wrap('outer', { stack: [inner] }) }, { handle: errorHandler }] };
    const seen = serverDeciding({ ratio: 0, followRemoteDecision: true });
    let unsampledRequest: unknown;
    seen.server.on('request', (req: unknown) => (unsampledRequest = req));
    emitRequest(seen, '/api/products/1', `00-${traceId}-${spanId}-00`);

    skipLayerSpansWhenUnsampled(router);
    const [outer, error] = router.stack as Array<{ handle: (...args: unknown[]) => unknown }>;
    outer!.handle(unsampledRequest, {}, () => undefined);
    outer!.handle({}, {}, () => undefined);
    (inner.handle as (...args: unknown[]) => unknown)(unsampledRequest, {}, () => undefined);

    expect(calls).toEqual(['outer original', 'outer wrapped', 'inner original']);
    expect(error!.handle).toBe(errorHandler);
    expect(outer!.handle).toHaveLength(3);
    expect((outer!.handle as unknown as { stack: unknown[] }).stack).toEqual([inner]);
  });
});
