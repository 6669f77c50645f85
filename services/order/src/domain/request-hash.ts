import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` hash alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What makes two requests "the same body" for an idempotency key. */
export function hashRequest(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}
