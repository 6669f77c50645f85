import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { readTelemetryConfig } from './config';
import { EdgeSampler } from './edge-sampler';

const traceId = '0af7651916cd43dd8448eb211c80319c';
const parent = (isRemote: boolean, sampled: boolean) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: 'b7ad6b7169203331',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote,
  });
const decide = (sampler: EdgeSampler, context = ROOT_CONTEXT) =>
  sampler.shouldSample(context, traceId, 'GET', SpanKind.SERVER, {}, []).decision;

describe('the edge sampler', () => {
  it("ignores a client's sampled flag: ratio 0 records nothing", () => {
    expect(decide(new EdgeSampler(0), parent(true, true))).toBe(SamplingDecision.NOT_RECORD);
  });

  it("ignores a client's unsampled flag too: the gateway's own dice decide", () => {
    expect(decide(new EdgeSampler(0.5, () => 0.1), parent(true, false))).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(decide(new EdgeSampler(0.5, () => 0.9), parent(true, true))).toBe(SamplingDecision.NOT_RECORD);
  });

  it("follows a parent of the process's own, so a trace is never half recorded inside it", () => {
    expect(decide(new EdgeSampler(0), parent(false, true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(new EdgeSampler(1), parent(false, false))).toBe(SamplingDecision.NOT_RECORD);
  });

  it('is what the gateway uses unless told otherwise', () => {
    const read = (env: NodeJS.ProcessEnv, serviceName: string) =>
      readTelemetryConfig(env, { serviceName, serviceVersion: '0' }).config.sampling;

    expect(read({}, 'gateway')).toBe('edge');
    expect(read({}, 'order')).toBe('parent');
    expect(read({ SURGE_TRACE_SAMPLING: 'edge' }, 'order')).toBe('edge');
  });
});
