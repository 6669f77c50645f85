/**
 * Renders a service's pino JSON line as one short human line for the terminal
 * (`12:00:01 INFO  request GET /api/users/me 200 3.1ms`). The raw JSON stays in the
 * service's log file.
 */
export function renderLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const level = String(entry.level ?? '')
    .toUpperCase()
    .padEnd(5);
  const parts = [time, level, String(entry.msg ?? '')];
  if (entry.method && entry.path)
    parts.push(
      `${String(entry.method)} ${String(entry.path)} ${String(entry.status)} ${String(entry.durationMs)}ms`,
    );
  const err = entry.err as { message?: string } | undefined;
  if (err?.message) parts.push(`(${err.message})`);
  if (typeof entry.url === 'string') parts.push(entry.url);
  return parts.filter(Boolean).join(' ');
}
