import { ROOT_CONTEXT, context, propagation, trace, type Context, type Span } from '@opentelemetry/api';

/**
 * W3C trace context for events. Only @opentelemetry/api is used here: without an SDK
 * (tests, a process started without the telemetry register) every call is a cheap no-op
 * and events carry whatever `traceparent` they were given.
 */
export const messagingTracer = () => trace.getTracer('@surge/messaging');

/** The `traceparent` of the active context (the transaction writing an event), if any. */
export function activeTraceparent(active: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return carrier.traceparent;
}

/** The context a stored or received `traceparent` names (the root context when absent). */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/**
 * The `traceparent` to put on the wire for `span`: its own id, so the consumer's span is
 * the span's child. Falls back to `fallback` when no SDK injects anything.
 */
export function traceparentOf(span: Span, parent: Context, fallback: string | undefined): string | undefined {
  return activeTraceparent(trace.setSpan(parent, span)) ?? fallback;
}
