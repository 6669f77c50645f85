import { send } from './http';

/**
 * The value of one series on the gateway's /metrics, found by name and (a subset of)
 * its labels; 0 when the series is not there yet.
 */
export async function metricValue(
  baseUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = (await send(baseUrl, '/metrics')).text;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const seen = match[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => seen.includes(`${key}="${value}"`)))
      return Number(match[3]);
  }
  return 0;
}
