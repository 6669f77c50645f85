import {
  isSpanContextValid,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type SpanKind,
} from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';

/**
 * The sampler of a process at the edge (the gateway), where every incoming request
 * comes from outside. A parent-based sampler would let any client force tracing by
 * sending `traceparent: ...-01` (and a trace-id ratio sampler would let it pick trace
 * ids that always fall under the ratio): so a remote parent's sampled flag is ignored
 * and the decision is the process's own dice at its own ratio. The client's trace id is
 * kept (its trace continues), only the decision is the gateway's. A local parent (a
 * span of this process, say an outgoing call) is followed, so a trace is never half
 * recorded inside the process; the services behind keep following the gateway.
 */
export class EdgeSampler implements Sampler {
  constructor(
    private readonly ratio: number,
    private readonly random: () => number = Math.random,
  ) {}

  shouldSample(
    context: Context,
    _traceId: string,
    _spanName: string,
    _spanKind: SpanKind,
    _attributes: Attributes,
    _links: Link[],
  ): SamplingResult {
    const parent = trace.getSpanContext(context);
    if (parent && isSpanContextValid(parent) && !parent.isRemote) {
      const sampled = (parent.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
      return { decision: sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD };
    }
    return {
      decision:
        this.random() < this.ratio ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD,
    };
  }

  toString(): string {
    return `EdgeSampler{ratio=${this.ratio}}`;
  }
}
