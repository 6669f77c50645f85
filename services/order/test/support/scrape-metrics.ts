/** One scrape of a service's GET /metrics, read as Prometheus would. */
export interface Scrape {
  /** Sum of every series of `name` whose labels include `labels` (0 when none does). */
  value(name: string, labels?: Record<string, string>): number;
  /** Whether any series of `name` exists. */
  has(name: string): boolean;
}

const LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

export async function scrapeMetrics(baseUrl: string): Promise<Scrape> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const series = (await res.text())
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .flatMap((line) => {
      const match = LINE.exec(line);
      if (!match) return [];
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(LABEL)].map((m) => [m[1], m[2]]));
      return [{ name: match[1], labels, value: Number(match[3]) }];
    });
  const matching = (name: string, labels: Record<string, string>) =>
    series.filter(
      (entry) =>
        entry.name === name && Object.entries(labels).every(([key, value]) => entry.labels[key] === value),
    );
  return {
    value: (name, labels = {}) => matching(name, labels).reduce((sum, entry) => sum + entry.value, 0),
    has: (name) => series.some((entry) => entry.name === name),
  };
}
