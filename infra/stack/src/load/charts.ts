import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Bucket } from './request-points';
import type { FaultWindow } from './recovery';

/**
 * The report's figures as SVG, drawn by Vega-Lite in Node (no browser, no native canvas:
 * Vega estimates text widths without one). Each takes plain rows and returns SVG text.
 */
const WIDTH = 640;
const HEIGHT = 220;

async function render(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Shaded bands for the fault windows, in seconds since the run's first bucket, labelled. */
function faultLayers(windows: FaultWindow[], start: number): object[] {
  if (windows.length === 0) return [];
  const values = windows.map((window) => ({
    from: (window.from - start) / 1000,
    to: Math.max((window.to - start) / 1000, (window.from - start) / 1000 + 1),
    scenario: window.scenario,
  }));
  return [
    {
      data: { values },
      mark: { type: 'rect', color: '#d62728', opacity: 0.15 },
      encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } },
    },
    {
      data: { values },
      mark: {
        type: 'text',
        align: 'left',
        baseline: 'top',
        dx: 2,
        dy: 2,
        fontSize: 9,
        angle: 0,
        color: '#a01010',
      },
      encoding: { x: { field: 'from', type: 'quantitative' }, y: { value: 0 }, text: { field: 'scenario' } },
    },
  ];
}

function overTime(title: string, yTitle: string, layers: object[], windows: FaultWindow[], start: number) {
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: WIDTH,
    height: HEIGHT,
    layer: [...faultLayers(windows, start), ...layers],
    encoding: { x: { title: 'seconds since the first request' } },
    resolve: { scale: { color: 'independent' } },
    config: { axisY: { title: yTitle } },
  } as TopLevelSpec);
}

/** Requests per second over the run. */
export function throughputChart(buckets: Bucket[], windows: FaultWindow[] = []): Promise<string> {
  const start = buckets[0]?.at ?? 0;
  return overTime(
    'Requests per second',
    'requests/s',
    [
      {
        data: { values: buckets.map((b) => ({ t: b.t, rps: b.requestsPerSecond })) },
        mark: { type: 'line', color: '#1f77b4' },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'seconds since the first request' },
          y: { field: 'rps', type: 'quantitative', title: 'requests/s' },
        },
      },
    ],
    windows,
    start,
  );
}

/** p50, p95 and p99 latency over the run, on a log scale (a fault's seconds next to normal milliseconds). */
export function latencyChart(buckets: Bucket[], windows: FaultWindow[] = []): Promise<string> {
  const start = buckets[0]?.at ?? 0;
  const rows = buckets
    .filter((b) => b.requestsPerSecond > 0)
    .flatMap((b) => [
      { t: b.t, percentile: 'p50', ms: Math.max(b.p50Ms, 0.1) },
      { t: b.t, percentile: 'p95', ms: Math.max(b.p95Ms, 0.1) },
      { t: b.t, percentile: 'p99', ms: Math.max(b.p99Ms, 0.1) },
    ]);
  return overTime(
    'Latency percentiles',
    'ms',
    [
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 1.2 },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'seconds since the first request' },
          y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms (log scale)' },
          color: {
            field: 'percentile',
            type: 'nominal',
            scale: { range: ['#2ca02c', '#ff7f0e', '#d62728'] },
          },
        },
      },
    ],
    windows,
    start,
  );
}

/** Share of failed requests (answers the contract does not promise, or none at all) over the run. */
export function errorRateChart(buckets: Bucket[], windows: FaultWindow[] = []): Promise<string> {
  const start = buckets[0]?.at ?? 0;
  return overTime(
    'Error rate',
    '% failed',
    [
      {
        data: { values: buckets.map((b) => ({ t: b.t, percent: b.errorRate * 100 })) },
        mark: { type: 'area', color: '#d62728', opacity: 0.7, line: true },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'seconds since the first request' },
          y: { field: 'percent', type: 'quantitative', title: '% failed', scale: { domainMin: 0 } },
        },
      },
    ],
    windows,
    start,
  );
}

/** Measured first, so it gets the solid line and the ideal the dashed one. */
const SERIES = ['measured', 'ideal (N x one instance)'];

/** Highest sustainable throughput per instance count, against the ideal line N x throughput at 1. */
export function scalingChart(rows: Array<{ instances: number; throughput: number }>): Promise<string> {
  const one = rows.find((row) => row.instances === 1)?.throughput ?? 0;
  const values = rows.flatMap((row) => [
    { instances: row.instances, throughput: row.throughput, series: 'measured' },
    { instances: row.instances, throughput: row.instances * one, series: 'ideal (N x one instance)' },
  ]);
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Highest arrival rate that meets the SLO',
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'instances',
        type: 'quantitative',
        title: 'instances',
        axis: { values: rows.map((r) => r.instances) },
      },
      y: { field: 'throughput', type: 'quantitative', title: 'visits/s' },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: SERIES } },
      strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: SERIES } },
    },
  } as TopLevelSpec);
}
