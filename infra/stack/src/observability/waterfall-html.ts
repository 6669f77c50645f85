import { type JaegerTrace, type SpanRow, servicesOf, spanRows, traceDurationUs } from './jaeger-trace';

/** Colours by order of first appearance; muted enough that the red of an error stands out. */
const PALETTE = ['#3b7dd8', '#2a9d8f', '#e9a23b', '#8e6bbf', '#d9737b', '#5b8c3a', '#c27c2c', '#4aa3c4'];
/** Pixels per tree level in the label column. */
const INDENT = 14;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function formatDuration(us: number): string {
  if (us >= 1_000_000) return `${(us / 1_000_000).toFixed(2)} s`;
  if (us >= 1_000) return `${(us / 1_000).toFixed(us >= 100_000 ? 0 : 1)} ms`;
  return `${Math.max(us, 0).toFixed(0)} µs`;
}

/** Span kinds worth a word beside the name: the hops between processes. */
const KIND_LABEL: Record<string, string> = { client: 'client', producer: 'producer', consumer: 'consumer' };

function row(r: SpanRow, total: number, colour: string): string {
  const left = (100 * r.offsetUs) / total;
  const width = Math.max((100 * r.durationUs) / total, 0.15);
  const kind = KIND_LABEL[r.kind];
  // The label sits right of a bar that starts in the left half, else left of it.
  const labelSide =
    left + width < 80 ? `left:calc(${left + width}% + 4px)` : `right:calc(${100 - left}% + 4px)`;
  return `<div class="row${r.error ? ' error' : ''}">
  <div class="name" style="padding-left:${8 + r.depth * INDENT}px"><span class="svc" style="background:${colour}">${escape(r.service)}</span>${escape(r.span.operationName)}${kind ? ` <span class="kind">${kind}</span>` : ''}</div>
  <div class="lane"><div class="bar" style="left:${left}%;width:${width}%;background:${r.error ? '#d33' : colour}"></div><span class="dur" style="${labelSide}">${formatDuration(r.durationUs)}</span></div>
</div>`;
}

/**
 * One trace as a self-contained HTML page in the shape of Jaeger's trace view: a header
 * with the services, a time axis, and every span as a row of the expanded span tree with
 * a bar for when it ran. Used where Jaeger has no UI build to serve.
 */
export function renderWaterfall(trace: JaegerTrace, title: string): string {
  const rows = spanRows(trace);
  const total = Math.max(traceDurationUs(trace), 1);
  const services = servicesOf(trace);
  const colour = (service: string) => PALETTE[services.indexOf(service) % PALETTE.length] ?? PALETTE[0]!;
  const started = new Date(Math.min(...trace.spans.map((s) => s.startTime)) / 1000).toISOString();
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => `<span style="left:${f * 100}%">${formatDuration(f * total)}</span>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
  body { margin: 0; font: 12px/1.3 'DejaVu Sans', system-ui, sans-serif; color: #222; background: #fff; }
  header { padding: 12px 16px 8px; border-bottom: 1px solid #ddd; background: #f7f7f9; }
  h1 { font-size: 16px; margin: 0 0 4px; }
  .meta { color: #555; }
  .meta b { color: #222; }
  .legend span { display: inline-block; margin: 6px 10px 0 0; }
  .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
  .axis, .row { display: flex; }
  .axis { border-bottom: 1px solid #ddd; height: 20px; color: #666; }
  .axis .name { font-weight: bold; color: #444; line-height: 20px; }
  .axis .lane span { position: absolute; top: 3px; transform: translateX(-50%); white-space: nowrap; }
  .axis .lane span:first-child { transform: none; }
  .axis .lane span:last-child { transform: translateX(-100%); }
  .name { width: 470px; flex: none; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; border-right: 1px solid #e4e4e4; box-sizing: border-box; padding-right: 6px; }
  .lane { position: relative; flex: 1; margin: 0 60px 0 8px; }
  .row { height: 17px; line-height: 17px; border-bottom: 1px solid #f2f2f2; }
  .row:nth-child(even) { background: #fbfbfc; }
  .row.error .name { color: #c00; }
  .svc { display: inline-block; color: #fff; border-radius: 3px; padding: 0 4px; margin-right: 5px; font-size: 10.5px; line-height: 14px; }
  .kind { color: #888; font-size: 10.5px; }
  .bar { position: absolute; top: 4px; height: 9px; border-radius: 2px; min-width: 2px; }
  .dur { position: absolute; top: 0; color: #666; font-size: 10.5px; white-space: nowrap; }
</style></head>
<body>
<header>
  <h1>${escape(title)}</h1>
  <div class="meta">trace <b>${escape(trace.traceID)}</b> · started ${started} · duration <b>${formatDuration(total)}</b> · <b>${rows.length}</b> spans · <b>${services.length}</b> services</div>
  <div class="legend">${services.map((s) => `<span><i style="background:${colour(s)}"></i>${escape(s)}</span>`).join('')}</div>
</header>
<div class="axis"><div class="name" style="padding-left:8px">service · operation</div><div class="lane">${ticks}</div></div>
<main>
${rows.map((r) => row(r, total, colour(r.service))).join('\n')}
</main>
</body></html>
`;
}

/** The page's height in pixels for `rows` spans (header, axis, rows), for the screenshot window. */
export function waterfallHeight(rows: number): number {
  return 92 + 21 + rows * 18 + 8;
}
