import { SpanStatusCode, trace, type Attributes, type Span, type SpanOptions } from '@opentelemetry/api';

const tracer = () => trace.getTracer('@surge/telemetry');

/**
 * Runs `fn` inside a new child span of the active one and ends it when `fn` settles. A
 * thrown error is recorded on the span (status ERROR) and rethrown unchanged. Without an
 * SDK it only calls `fn`.
 *
 * `withSpan('checkout.reserve', { 'order.id': orderId }, () => inventory.reserve(...))`
 */
export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
  options: Omit<SpanOptions, 'attributes'> = {},
): Promise<T> {
  return tracer().startActiveSpan(name, { ...options, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A point in time on the active span (`addEvent('payment.pending', { 'order.id': id })`). */
export function addEvent(name: string, attributes?: Attributes): void {
  trace.getActiveSpan()?.addEvent(name, attributes);
}

/** Facts learnt midway (the order id once created, the outcome once known) on the active span. */
export function setSpanAttributes(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

export function recordError(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  else span.recordException(String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}
