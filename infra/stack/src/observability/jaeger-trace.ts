/** A span as Jaeger's query API (`GET /api/traces/<id>`) returns it; times in microseconds. */
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: Array<{ refType: string; traceID: string; spanID: string }>;
  startTime: number;
  duration: number;
  tags: Array<{ key: string; type?: string; value: unknown }>;
  processID: string;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

/** One line of a trace drawn as a tree: the span, where it sits, and when it ran. */
export interface SpanRow {
  span: JaegerSpan;
  service: string;
  depth: number;
  /** Microseconds from the trace's first span. */
  offsetUs: number;
  durationUs: number;
  /** OpenTelemetry span kind (`server`, `client`, `producer`, `consumer`, `internal`). */
  kind: string;
  error: boolean;
}

export function serviceOf(trace: JaegerTrace, span: JaegerSpan): string {
  return trace.processes[span.processID]?.serviceName ?? '?';
}

function tag(span: JaegerSpan, key: string): unknown {
  return span.tags.find((t) => t.key === key)?.value;
}

/**
 * The spans in the order Jaeger's trace view lists them: depth first from each root,
 * children by start time. A span whose parent is not in the trace (not exported yet, or
 * dropped) becomes a root of its own, so nothing is hidden.
 */
export function spanRows(trace: JaegerTrace): SpanRow[] {
  const ids = new Set(trace.spans.map((span) => span.spanID));
  const children = new Map<string, JaegerSpan[]>();
  const roots: JaegerSpan[] = [];
  for (const span of trace.spans) {
    const parent = span.references.find((ref) => ref.refType === 'CHILD_OF' && ids.has(ref.spanID));
    if (!parent) roots.push(span);
    else children.set(parent.spanID, [...(children.get(parent.spanID) ?? []), span]);
  }
  const byStart = (a: JaegerSpan, b: JaegerSpan) => a.startTime - b.startTime;
  const start = Math.min(...trace.spans.map((span) => span.startTime));
  const rows: SpanRow[] = [];
  const visit = (span: JaegerSpan, depth: number) => {
    rows.push({
      span,
      service: serviceOf(trace, span),
      depth,
      offsetUs: span.startTime - start,
      durationUs: span.duration,
      kind: String(tag(span, 'span.kind') ?? 'internal'),
      error: tag(span, 'error') === true || tag(span, 'otel.status_code') === 'ERROR',
    });
    for (const child of (children.get(span.spanID) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of roots.sort(byStart)) visit(root, 0);
  return rows;
}

/** From the first span's start to the last span's end, in microseconds. */
export function traceDurationUs(trace: JaegerTrace): number {
  const start = Math.min(...trace.spans.map((span) => span.startTime));
  const end = Math.max(...trace.spans.map((span) => span.startTime + span.duration));
  return end - start;
}

export async function fetchTrace(queryUrl: string, traceId: string): Promise<JaegerTrace> {
  const res = await fetch(`${queryUrl}/api/traces/${encodeURIComponent(traceId)}`, {
    signal: AbortSignal.timeout(5_000),
  });
  if (res.status === 404) throw new Error(`Jaeger at ${queryUrl} has no trace ${traceId}`);
  if (res.status !== 200) throw new Error(`GET ${queryUrl}/api/traces/${traceId} answered ${res.status}`);
  const body = (await res.json()) as { data?: JaegerTrace[] };
  const trace = body.data?.[0];
  if (!trace || trace.spans.length === 0) throw new Error(`Jaeger at ${queryUrl} has no trace ${traceId}`);
  return trace;
}

/**
 * The trace of the checkout that created `orderId`: the one in which the notification
 * consumer processed that order's event (its span carries the event key, the order id).
 * Services export spans in batches, so callers poll until the trace is complete.
 */
export async function findCheckoutTrace(queryUrl: string, orderId: string): Promise<JaegerTrace | undefined> {
  const res = await fetch(`${queryUrl}/api/traces?service=notification&lookback=15m&limit=200`, {
    signal: AbortSignal.timeout(5_000),
  });
  if (res.status !== 200) throw new Error(`GET ${queryUrl}/api/traces answered ${res.status}`);
  const { data } = (await res.json()) as { data?: JaegerTrace[] };
  return (data ?? []).find((trace) =>
    trace.spans.some(
      (span) => span.operationName === 'orders process' && span.tags.some((t) => t.value === orderId),
    ),
  );
}

/** The services a trace touches, in the order they first appear. */
export function servicesOf(trace: JaegerTrace): string[] {
  return [...new Set(spanRows(trace).map((row) => row.service))];
}
