/**
 * Errors that mean the request never got an answer from the instance because the
 * connection failed: refused, reset or closed before the response headers, no route
 * to the host, no connection within the connect timeout, or a pool closed under the
 * request (its instance was just removed). Nothing of an answer reached the gateway,
 * so another instance may be asked instead.
 */
const CONNECTION_FAILURE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_FAILURE_CODES.has(code);
}
