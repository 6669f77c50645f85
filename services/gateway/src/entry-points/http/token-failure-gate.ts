import type { RequestHandler } from 'express';
import { Counter, type Registry } from 'prom-client';
import type { TokenVerifier } from '@surge/auth';
import { AppError, isAppError } from '@surge/errors';
import { authenticate, bearerToken } from '@surge/http-kit';
import { enrichContext, type Logger } from '@surge/logger';
import type { RateLimitStore } from '../../data-access/redis-rate-limit-store';
import { rateLimitSubject } from '../../domain/client-ip';
import type { WindowHit, WindowLimit } from '../../domain/rate-limit-policy';
import { deferTokenGate } from './request-locals';

const TOKEN_REFUSALS = new Set(['INVALID_TOKEN', 'TOKEN_EXPIRED', 'UNAUTHORIZED']);

export interface TokenFailureGateDeps {
  verifier: TokenVerifier;
  store: RateLimitStore;
  /** Refused tokens allowed per client address and window before its tokens are refused unread. */
  limit: WindowLimit;
  logger: Logger;
  registry: Registry;
}

/**
 * Token verification behind a per-IP limit that runs BEFORE any verification work.
 * The general rate limit runs after verification (an authenticated user is limited by
 * user id, not by a shared NAT address), so on its own it never sees a request whose
 * token is junk, forged or expired: a flood of those cost an RS256 verification (and,
 * for unknown key ids, a JWKS lookup) each, unlimited. Here every refused token counts
 * against its client address; once an address is over the limit, any request of it
 * that carries a token is answered 429 with Retry-After, unread, until the window ends.
 * Requests without a token are not affected (the anonymous per-IP limit covers them).
 * Redis down: fail open, as the general limit does.
 *
 * A token this gateway verified before (and still within its exp) costs no verification
 * work, so it needs no protection in front of it: its principal is taken at once and the
 * address's check is deferred to the rate limit, which settles both in one Redis round
 * trip (rate-limit-middleware.ts) with the same outcome, 429 unread included.
 */
export function authenticateBehindFailureLimit(deps: TokenFailureGateDeps): RequestHandler {
  const verify = authenticate(deps.verifier);
  const refusals = new Counter({
    name: 'gateway_token_failure_refusals_total',
    help: 'Requests refused 429 unverified: their address sent too many bad tokens',
    registers: [deps.registry],
  });
  const keyOf = (ip: string) => `bad-token:${rateLimitSubject(ip)}`;
  const refuse = (seen: WindowHit) => {
    refusals.inc();
    return new AppError('RATE_LIMITED', 'Too many invalid tokens from this address; retry later', {
      retriable: true,
      retryAfterSeconds: Math.max(1, Math.ceil(seen.resetMs / 1000)),
    });
  };

  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) {
      await verify(req, res, next);
      return;
    }
    const key = keyOf(req.ip ?? req.socket.remoteAddress ?? '');
    const token = bearerToken(header);
    const known = token === undefined ? undefined : deps.verifier.verifiedBefore(token);
    if (known) {
      res.locals.principal = known;
      enrichContext({ userId: known.userId });
      deferTokenGate(res, { key, max: deps.limit.max, refuse });
      next();
      return;
    }
    const seen = await deps.store.peek(key).catch(() => undefined);
    if (seen && seen.count >= deps.limit.max) {
      next(refuse(seen));
      return;
    }
    await verify(req, res, (error?: unknown) => {
      if (isAppError(error) && TOKEN_REFUSALS.has(error.code)) {
        deps.store.hit(key, deps.limit.windowMs).catch((failure: unknown) => {
          deps.logger.debug({ err: failure }, 'could not count a refused token');
        });
      }
      next(error);
    });
  };
}
