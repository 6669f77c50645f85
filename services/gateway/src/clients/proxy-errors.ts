import { AppError, DependencyError } from '@surge/errors';
import type { UpstreamName } from '../domain/route-table';

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * A failed upstream call as the client may see it: 504 when the service took too long,
 * 503 for everything else (refused, reset, unresolvable, connect timeout). The message
 * names the service, never its address; the cause (with the address) goes to the log.
 */
export function upstreamFailure(upstream: UpstreamName, error: unknown, timedOut: boolean): DependencyError {
  const timeout = isTimeout(error, timedOut);
  const message = timeout
    ? `The ${upstream} service did not answer in time`
    : `The ${upstream} service is unavailable`;
  return new DependencyError(upstream, message, { cause: loggableCause(error), timeout });
}

/** The gateway's own budget ran out, or undici's header/body timeout did. */
export function isTimeout(error: unknown, timedOut: boolean): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return timedOut || (typeof code === 'string' && TIMEOUT_CODES.has(code));
}

/** Why the gateway gave up on an upstream call; the abort reason, so undici rejects with it. */
export class ProxyAbort extends Error {
  constructor(readonly reason: 'timeout' | 'client-gone') {
    super(reason === 'timeout' ? 'upstream did not answer in time' : 'client closed the connection');
    this.name = 'ProxyAbort';
  }
}

/**
 * The kit's error handler logs `{ cause }` beside `{ err }`, and pino's redaction
 * throws on a DOMException there (its getters reject the copy redaction makes), which
 * would turn a clean 503/504 into a 500. Abort errors become plain Errors here.
 */
function loggableCause(error: unknown): unknown {
  if (typeof DOMException !== 'undefined' && error instanceof DOMException) {
    return new Error(`${error.name}: ${error.message}`);
  }
  return error;
}

export function upstreamNotConfigured(upstream: UpstreamName): DependencyError {
  return new DependencyError(upstream, `The ${upstream} service is not available yet`, {
    retryAfterSeconds: 30,
  });
}

export function bodyTooLarge(limitBytes: number, cause?: unknown): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `The request body exceeds ${limitBytes} bytes`,
    cause === undefined ? {} : { cause },
  );
}
