/**
 * Errors that mean "a dependency could not be reached", whichever client threw them:
 * socket errors, PostgreSQL's connection and shutdown SQLSTATEs (class 08, 57P0x), and
 * ioredis giving up while disconnected. The HTTP edge answers these 503 with Retry-After
 * instead of 500: the request was fine, the dependency was not there.
 */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const MESSAGES = [
  /Connection terminated/i,
  /Connection is closed/i,
  /connect ECONNREFUSED/i,
  /timeout exceeded when trying to connect/i,
  /Reached the max retries per request limit/i,
  // PostgreSQL refusing new sessions of a database (ALLOW_CONNECTIONS false; SQLSTATE 55000,
  // too generic a code to list on its own).
  /is not currently accepting connections/i,
  /Stream isn't writeable/i,
  // pg's client-side query_timeout: the database did not answer (a partition, not a slow query).
  /Query read timeout/i,
];

export function isConnectionFailure(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const { code, message, name } = current as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || PG_CODES.has(code) || code.startsWith('08')))
      return true;
    if (name === 'MaxRetriesPerRequestError') return true;
    if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
