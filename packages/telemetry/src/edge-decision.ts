import { randomUUID } from 'node:crypto';
import {
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type SpanContext,
} from '@opentelemetry/api';

/**
 * The edge's sampling decision, taken before any instrumentation runs.
 *
 * Why: with a span sampler, the HTTP server instrumentation builds a request's attributes,
 * starts a span and binds the request's emitters for every request, and the undici
 * instrumentation parses the outgoing URL and headers for every call, only for the
 * sampler to say "not recorded" nine times in ten. In the gateway that was about half of
 * a proxied read's CPU (docs/results/hot-path.md). So the gateway rolls its dice in the
 * HTTP instrumentation's ignore hook: a request that loses is not instrumented at all,
 * and carries its trace context itself (`runInRequestTrace`): a trace id (the client's,
 * if it sent a valid one, as the span sampler kept it), unsampled, so log lines still
 * have a trace id and the services behind still learn "not sampled" and start no trace
 * of their own (`carriesUnsampledDecision`).
 */
const UNSAMPLED = Symbol.for('surge.telemetry.unsampled-request');

type Marked = { [UNSAMPLED]?: SpanContext };

const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
const ZERO_TRACE = '0'.repeat(32);

function randomHex(length: number): string {
  let hex = '';
  while (hex.length < length) hex += randomUUID().replace(/-/g, '');
  return hex.slice(0, length);
}

/** The trace id to keep: the client's when it sent a well-formed one (the span sampler kept it too). */
function traceIdOf(traceparent: string | string[] | undefined): string {
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null;
  return match && match[1] !== ZERO_TRACE ? match[1]! : randomHex(32);
}

export interface EdgeDecision {
  /**
   * The HTTP instrumentation's `ignoreIncomingRequestHook`: true (do not instrument) for a
   * request the dice leave unsampled, which is then marked with its own unsampled context.
   */
  skipsTracing(request: { headers: Record<string, string | string[] | undefined> }): boolean;
}

export function createEdgeDecision(ratio: number, random: () => number = Math.random): EdgeDecision {
  return {
    skipsTracing(request) {
      if (random() < ratio) return false;
      (request as Marked)[UNSAMPLED] = {
        traceId: traceIdOf(request.headers.traceparent),
        spanId: randomHex(16),
        traceFlags: TraceFlags.NONE,
        isRemote: false,
      };
      return true;
    },
  };
}

/**
 * Runs a request's handling in its unsampled trace when the edge decided not to sample it
 * (the instrumentation left it in a context that suppresses tracing and holds no trace);
 * a sampled or unmarked request runs as it is. The gateway's listener calls it first.
 */
export function runInRequestTrace<T>(request: object, handle: () => T): T {
  const unsampled = (request as Marked)[UNSAMPLED];
  return unsampled ? context.with(trace.setSpanContext(ROOT_CONTEXT, unsampled), handle) : handle();
}

/**
 * The undici instrumentation's `ignoreRequestHook`: an outgoing call inside an unsampled
 * trace is not instrumented (a span that records nothing costs the same work as one that
 * does); it carries the decision itself, as the propagator would have: a `traceparent`
 * with the trace id and the sampled flag off. A sampled trace, or a call outside any
 * trace, is left to the instrumentation.
 */
export function carriesUnsampledDecision(request: { addHeader?: (name: string, value: string) => unknown }) {
  const current = trace.getSpanContext(context.active());
  if (!current || !isSpanContextValid(current)) return false;
  if ((current.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED) return false;
  if (typeof request.addHeader !== 'function') return false;
  request.addHeader('traceparent', `00-${current.traceId}-${current.spanId}-00`);
  return true;
}
