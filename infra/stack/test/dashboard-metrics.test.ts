import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const dashboard = JSON.parse(
  readFileSync(join(root, 'infra/observability/grafana/surge-dashboard.json'), 'utf8'),
) as { panels: Array<{ title: string; targets?: Array<{ expr: string }> }> };
const docs = readFileSync(join(root, 'docs/observability.md'), 'utf8');

/** prom-client's default process metrics: exported by collectDefaultMetrics, not by our code. */
const DEFAULT_METRICS = /^(process_|nodejs_)/;
const PROMQL_WORDS = new Set([
  'sum',
  'max',
  'min',
  'avg',
  'rate',
  'increase',
  'by',
  'histogram_quantile',
  'le',
]);

function metricNames(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '');
  const words = withoutLabels.match(/[a-z_][a-z0-9_]*/g) ?? [];
  return words
    .filter((word) => !PROMQL_WORDS.has(word) && word.includes('_'))
    .filter(
      (word) =>
        !/^(service|upstream|outcome|method|route|status|policy|cache|result|group|topic|type|action|to|state)$/.test(
          word,
        ),
    )
    .map((word) => word.replace(/_(bucket|count|sum)$/, ''));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

const registered = new Set(
  ['packages', 'services']
    .flatMap((group) => sourceFiles(join(root, group)))
    .flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/name: '([a-z_:][a-z0-9_:]*)'/g)].map((m) => m[1]),
    ),
);
const panelMetrics = dashboard.panels.flatMap((panel) =>
  (panel.targets ?? []).flatMap((target) =>
    metricNames(target.expr).map((name) => ({ panel: panel.title, name })),
  ),
);

describe('the Grafana dashboard and the code agree on metric names', () => {
  it('every metric a panel queries is registered by some service or package (or is a prom-client default)', () => {
    const unknown = panelMetrics.filter(({ name }) => !DEFAULT_METRICS.test(name) && !registered.has(name));
    expect(unknown).toEqual([]);
    expect(panelMetrics.length).toBeGreaterThan(20);
  });

  it('every metric a panel queries is described in docs/observability.md', () => {
    const undocumented = panelMetrics.filter(({ name }) => !docs.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });
});
