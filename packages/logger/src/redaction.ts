/**
 * Fields that must never reach a log line: credentials, tokens, card tokens and the
 * headers that carry them. Their values become "[REDACTED]". Kept as one list so the
 * test of it covers every service.
 */
const SECRET_KEYS = new Set([
  'password',
  'newPassword',
  'accessToken',
  'refreshToken',
  'token',
  'authorization',
  'cookie',
  'set-cookie',
  'privateKey',
  // Card tokens (order and payment bodies, the provider call) and personal data.
  'paymentToken',
  'email',
  'ADMIN_PASSWORD',
  'JWT_PRIVATE_KEY',
  // OAuth client credentials of services (the token endpoint's body, their config).
  'client_secret',
  'access_token',
  'SERVICE_CLIENT_SECRET',
  'SERVICE_CLIENT_SECRETS',
]);

/** Secrets sit at most this deep: `token`, `body.token`, `req.headers.authorization`, `err.request.body.paymentToken`. */
const MAX_DEPTH = 4;
/** Service-to-service credentials, redacted where the http client logs its headers. */
const HEADERS_ONLY = 'x-internal-token';

export const CENSOR = '[REDACTED]';

type Loggable = Record<string, unknown>;

/**
 * The line's fields with every secret replaced by "[REDACTED]": a field named in
 * SECRET_KEYS at any of the first four levels (`password`, `body.password`,
 * `req.headers.authorization`, `err.request.body.paymentToken`), and
 * `headers["x-internal-token"]`. Errors are looked into as pino's error serializer
 * shows them (their enumerable fields and `cause`).
 *
 * Why not pino's `redact` option: with wildcard paths (`*.password`) pino sends EVERY
 * field of every line, numbers and strings included, through the redactor, which copied
 * and walked them: 5-9 % of a service's CPU per request, for lines that almost never hold
 * a secret (`npm run bench -- service-reads`). This walks the line once, allocates
 * nothing when nothing is secret (the access log, nearly every line), and copies only
 * the objects on the way to a secret, so the caller's objects are never modified.
 */
export function redactSecrets(fields: Loggable): Loggable {
  return (redactValue(fields, 0, false) as Loggable | undefined) ?? fields;
}

/** The redacted copy of `value`, or undefined when it holds no secret (the caller keeps it as is). */
function redactValue(value: unknown, depth: number, underHeaders: boolean): unknown {
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return undefined;
  let copy: Record<string, unknown> | undefined;
  const source = value as Record<string, unknown>;
  for (const key of keysOf(source)) {
    const child = source[key];
    if (child === undefined) continue;
    let replacement: unknown;
    if (SECRET_KEYS.has(key) || (underHeaders && key === HEADERS_ONLY)) replacement = CENSOR;
    else replacement = redactValue(child, depth + 1, depth === 0 && key === 'headers');
    if (replacement === undefined) continue;
    copy ??= shallowCopy(source);
    copy[key] = replacement;
  }
  return copy;
}

/** Enumerable keys, and an error's `cause`, which pino's serializer shows though it is not enumerable. */
function keysOf(value: Record<string, unknown>): string[] {
  const keys = Object.keys(value);
  if (value instanceof Error && 'cause' in value && !keys.includes('cause')) keys.push('cause');
  return keys;
}

/**
 * A copy that keeps what the error serializer reads: an error's prototype (its type),
 * message and stack, which are not enumerable; an array stays an array.
 */
function shallowCopy(value: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(value)) return [...value] as unknown as Record<string, unknown>;
  if (!(value instanceof Error)) return { ...value };
  const copy = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(value)) {
    Object.defineProperty(copy, name, Object.getOwnPropertyDescriptor(value, name)!);
  }
  return copy;
}
