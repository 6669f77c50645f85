import type { IncomingMessage } from 'node:http';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { AlwaysOffSampler, SamplingDecision } from '@opentelemetry/sdk-trace';
import { readTelemetryConfig } from './config';
import { DECIDED_SAMPLED, EdgeDecisionSampler, setEdgePolicy } from './edge-policy';
import { beginEdgeRequest, parseTraceparent } from './edge-request-trace';

const traceId = '0af7651916cd43dd8448eb211c80319c';
const spanId = 'b7ad6b7169203331';
const UNSAMPLED = /^00-([0-9a-f]{32})-([0-9a-f]{16})-00$/;

function request(url: string, traceparent?: string): IncomingMessage {
  return {
    url,
    method: 'GET',
    headers: traceparent ? { traceparent } : {},
    socket: { remoteAddress: '127.0.0.1', remotePort: 5000 },
    httpVersion: '1.1',
  } as unknown as IncomingMessage;
}

afterEach(() => setEdgePolicy(undefined));

describe('parseTraceparent', () => {
  it('reads the trace id, parent id and sampled flag', () => {
    expect(parseTraceparent(`00-${traceId}-${spanId}-01`)).toEqual({ traceId, spanId, sampled: true });
    expect(parseTraceparent(`00-${traceId}-${spanId}-00`)).toEqual({ traceId, spanId, sampled: false });
  });

  it('takes a later version with more fields, as the W3C spec asks', () => {
    expect(parseTraceparent(`01-${traceId}-${spanId}-03-more`)).toEqual({ traceId, spanId, sampled: true });
  });

  it.each([
    ['version ff', `ff-${traceId}-${spanId}-01`],
    ['version 00 with more fields', `00-${traceId}-${spanId}-01-more`],
    ['a zero trace id', `00-${'0'.repeat(32)}-${spanId}-01`],
    ['a zero parent id', `00-${traceId}-${'0'.repeat(16)}-01`],
    ['upper case', `00-${traceId.toUpperCase()}-${spanId}-01`],
    ['a short trace id', `00-${traceId.slice(1)}-${spanId}-01`],
  ])('refuses %s', (_what, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });
});

describe('beginEdgeRequest', () => {
  it('traces nothing where the listener does not make spans (no policy)', () => {
    expect(beginEdgeRequest(request('/api/products'))).toBeUndefined();
  });

  it('leaves probes and scrapes alone', () => {
    setEdgePolicy({ ratio: 1, followRemoteDecision: false });

    expect(beginEdgeRequest(request('/health/ready'))).toBeUndefined();
    expect(beginEdgeRequest(request('/metrics'))).toBeUndefined();
  });

  it('at the edge, ignores a client asking to be sampled, keeping its trace id', () => {
    setEdgePolicy({ ratio: 0, followRemoteDecision: false });

    const edge = beginEdgeRequest(request('/api/products', `00-${traceId}-${spanId}-01`));

    expect(edge?.sampled).toBe(false);
    const call = edge!.startUpstreamCall({ method: 'GET', origin: 'http://127.0.0.1:1', path: '/x' });
    const [, sentTraceId, sentParent] = UNSAMPLED.exec(call.traceparent) ?? [];
    expect(sentTraceId).toBe(traceId);
    expect(sentParent).not.toBe(spanId);
  });

  it('starts a new trace id for a request that brings none', () => {
    setEdgePolicy({ ratio: 0, followRemoteDecision: false });

    const first = beginEdgeRequest(request('/api/products'))!.startUpstreamCall({
      method: 'GET',
      origin: 'http://127.0.0.1:1',
      path: '/x',
    });
    const second = beginEdgeRequest(request('/api/products'))!.startUpstreamCall({
      method: 'GET',
      origin: 'http://127.0.0.1:1',
      path: '/x',
    });

    expect(first.traceparent).toMatch(UNSAMPLED);
    expect(UNSAMPLED.exec(first.traceparent)?.[1]).not.toBe(UNSAMPLED.exec(second.traceparent)?.[1]);
  });

  it("with parent-based sampling, follows the caller's flag either way", () => {
    setEdgePolicy({ ratio: 0, followRemoteDecision: true });
    expect(beginEdgeRequest(request('/api/x', `00-${traceId}-${spanId}-01`))?.sampled).toBe(true);

    setEdgePolicy({ ratio: 1, followRemoteDecision: true });
    expect(beginEdgeRequest(request('/api/x', `00-${traceId}-${spanId}-00`))?.sampled).toBe(false);
  });

  it('is the gateway’s unless development fault injection hands its requests to express', () => {
    const read = (env: NodeJS.ProcessEnv, serviceName: string) =>
      readTelemetryConfig(env, { serviceName, serviceVersion: '0' }).config.listenerSpans;

    expect(read({}, 'gateway')).toBe(true);
    expect(read({ FAULT_INJECTION: 'true' }, 'gateway')).toBe(false);
    expect(read({ FAULT_INJECTION: '1' }, 'gateway')).toBe(false);
    expect(read({}, 'order')).toBe(false);
  });
});

describe('the edge decision sampler', () => {
  it('samples a span the listener already decided, whatever the inner sampler says', () => {
    const sampler = new EdgeDecisionSampler(new AlwaysOffSampler());
    const decide = (context = ROOT_CONTEXT) =>
      sampler.shouldSample(context, traceId, 'GET', SpanKind.SERVER, {}, []).decision;

    expect(decide(ROOT_CONTEXT.setValue(DECIDED_SAMPLED, true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide()).toBe(SamplingDecision.NOT_RECORD);
  });
});
