import type { JaegerSpan, JaegerTrace } from './jaeger-trace';
import { spanRows } from './jaeger-trace';
import { formatDuration, renderWaterfall } from './waterfall-html';

function span(
  id: string,
  parent: string | null,
  start: number,
  duration: number,
  extra: Partial<JaegerSpan> = {},
): JaegerSpan {
  return {
    traceID: 't1',
    spanID: id,
    operationName: `op-${id}`,
    references: parent ? [{ refType: 'CHILD_OF', traceID: 't1', spanID: parent }] : [],
    startTime: 1_000_000 + start,
    duration,
    tags: [],
    processID: parent ? 'p2' : 'p1',
    ...extra,
  };
}

const trace: JaegerTrace = {
  traceID: 't1',
  processes: { p1: { serviceName: 'gateway' }, p2: { serviceName: 'order' } },
  spans: [
    span('c2', 'root', 300, 50),
    span('root', null, 0, 1_000),
    span('c1', 'root', 100, 100, { tags: [{ key: 'span.kind', value: 'producer' }] }),
    span('g1', 'c1', 120, 10, { tags: [{ key: 'error', value: true }] }),
    span('orphan', 'not-exported-yet', 500, 20),
  ],
};

describe('a trace drawn as a span tree', () => {
  it('lists spans depth first, children by start time, and a span whose parent is missing as a root', () => {
    expect(spanRows(trace).map((row) => [row.span.spanID, row.depth])).toEqual([
      ['root', 0],
      ['c1', 1],
      ['g1', 2],
      ['c2', 1],
      ['orphan', 0],
    ]);
  });

  it('times each span from the start of the trace and keeps its kind and error', () => {
    const g1 = spanRows(trace).find((row) => row.span.spanID === 'g1');
    expect(g1).toMatchObject({ offsetUs: 120, durationUs: 10, service: 'order', error: true });
    expect(spanRows(trace).find((row) => row.span.spanID === 'c1')?.kind).toBe('producer');
  });

  it('renders every span once, escapes names, and states the totals', () => {
    const html = renderWaterfall(
      { ...trace, spans: [...trace.spans, span('x', 'root', 10, 5, { operationName: '<script>' })] },
      'A & B',
    );
    expect(html.match(/class="row/g)).toHaveLength(6);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain('<title>A &#38; B</title>');
    expect(html).toContain('<b>6</b> spans · <b>2</b> services');
  });

  it('formats durations the way Jaeger does, from microseconds', () => {
    expect([
      formatDuration(250),
      formatDuration(1_500),
      formatDuration(555_000),
      formatDuration(2_500_000),
    ]).toEqual(['250 µs', '1.5 ms', '555 ms', '2.50 s']);
  });
});
