import { createContextKey, type Attributes, type Context, type Link, SpanKind } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';
import { takeRequestDecidedSampled } from './request-sampling';

/**
 * How a listener that makes its own server spans (the gateway's, edge-request-trace.ts)
 * decides whether a request is traced. Set by startTelemetry, read per request.
 */
export interface EdgePolicy {
  /** Share of requests traced when the decision is the process's own. */
  ratio: number;
  /**
   * Whether a valid incoming `traceparent`'s sampled flag is followed (`parent`
   * sampling) or ignored, the process rolling its own dice (`edge`: edge-sampler.ts).
   */
  followRemoteDecision: boolean;
}

/**
 * On globalThis, as the OpenTelemetry API keeps its own globals: the register (loaded
 * by path with `--require`) and the service's import of `@surge/telemetry` must see one
 * policy even if they resolve to two copies of this module.
 */
const POLICY_SLOT = Symbol.for('@surge/telemetry/edge-policy');
type PolicyHolder = { [POLICY_SLOT]?: EdgePolicy | undefined };

export function setEdgePolicy(policy: EdgePolicy | undefined): void {
  (globalThis as PolicyHolder)[POLICY_SLOT] = policy;
}

/** Undefined when this process's listener does not trace requests itself (tracing off, or the HTTP instrumentation does). */
export function edgePolicy(): EdgePolicy | undefined {
  return (globalThis as PolicyHolder)[POLICY_SLOT];
}

/**
 * Marks the context of a server span whose request was already decided as sampled by
 * the listener: the SDK's sampler must not roll its dice a second time for it (with an
 * edge sampler a second roll would trace only ratio² of the requests decided).
 */
export const DECIDED_SAMPLED = createContextKey('@surge/telemetry decided sampled at the edge');

/**
 * The SDK's sampler, but a span started under DECIDED_SAMPLED is sampled as decided, and
 * so is the server span of a request that a server decided as sampled before the HTTP
 * instrumentation saw it (request-sampling.ts).
 */
export class EdgeDecisionSampler implements Sampler {
  constructor(private readonly inner: Sampler) {}

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (context.getValue(DECIDED_SAMPLED) === true) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    if (spanKind === SpanKind.SERVER && takeRequestDecidedSampled()) {
      return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    }
    return this.inner.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `EdgeDecisionSampler{${this.inner.toString()}}`;
  }
}
