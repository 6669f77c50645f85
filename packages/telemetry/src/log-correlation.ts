import { isSpanContextValid, trace } from '@opentelemetry/api';
import { addLogFieldSource } from '@surge/logger';

let installed = false;

/**
 * Adds `trace_id` and `span_id` of the active span to every pino line, so a log line
 * found by request id or order id leads straight to its trace in Jaeger (and back).
 * Lines outside any span get neither. Idempotent: register and tests may both call it.
 */
export function installLogCorrelation(): void {
  if (installed) return;
  installed = true;
  addLogFieldSource(traceFields);
}

/** The active span's ids in the names OpenTelemetry's log data model uses. */
export function traceFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
