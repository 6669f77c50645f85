import type { RequestHandler } from 'express';
import { Counter, type Registry } from 'prom-client';
import { AppError } from '@surge/errors';
import type { Logger } from '@surge/logger';
import type { RateLimitStore } from '../../data-access/redis-rate-limit-store';
import {
  selectLimits,
  strictestRefusal,
  type LimitCheck,
  type RateLimitPolicies,
  type WindowHit,
} from '../../domain/rate-limit-policy';
import { deferredTokenGate, principalOrUndefined, type DeferredTokenGate } from './request-locals';

export interface RateLimitDeps {
  store: RateLimitStore;
  policies: RateLimitPolicies;
  logger: Logger;
  registry: Registry;
}

const WARN_EVERY_MS = 10_000;

/**
 * Counts the request against every limit that applies to it (see selectLimits) and
 * answers 429 with Retry-After when one is exceeded. Runs after token verification,
 * so an authenticated user is limited by user id rather than by a shared NAT address.
 */
export function rateLimit(deps: RateLimitDeps): RequestHandler {
  const rejections = new Counter({
    name: 'ratelimit_rejections_total',
    help: 'Requests answered 429, by the rate-limit policy that refused them',
    labelNames: ['policy'],
    registers: [deps.registry],
  });
  const storeFailures = new Counter({
    name: 'ratelimit_store_failures_total',
    help: 'Requests served without a rate-limit check because the store (Redis) failed',
    registers: [deps.registry],
  });
  let lastWarnAt = 0;

  return async (req, res, next) => {
    const checks = selectLimits(
      {
        method: req.method,
        path: req.path,
        userId: principalOrUndefined(res)?.userId,
        clientIp: req.ip ?? req.socket.remoteAddress ?? '',
      },
      deps.policies,
    );
    let hits: WindowHit[];
    try {
      const gated = await countBehindGate(deps.store, deferredTokenGate(res), checks);
      if (gated instanceof AppError) return next(gated);
      hits = gated;
    } catch (error) {
      // Fail open: availability over limiting. With Redis down the gateway keeps serving
      // unlimited rather than refusing everybody; the counter and a warning at most
      // every 10 s make the gap visible without flooding the log.
      storeFailures.inc();
      // Except for credentials: an unlimited login endpoint is a credential-stuffing
      // window, so login and register fail closed (the user service's per-account
      // throttle does the same).
      if (checks.some((check) => check.policy === 'credentials')) {
        next(
          new AppError('DEPENDENCY_UNAVAILABLE', 'Sign-in is unavailable; try again shortly', {
            retriable: true,
            retryAfterSeconds: 5,
          }),
        );
        return;
      }
      if (Date.now() - lastWarnAt >= WARN_EVERY_MS) {
        lastWarnAt = Date.now();
        deps.logger.warn({ err: error }, 'rate-limit store unavailable; serving without limits');
      }
      return next();
    }
    const refusal = strictestRefusal(checks, hits);
    if (!refusal) return next();
    rejections.inc({ policy: refusal.policy });
    next(
      new AppError('RATE_LIMITED', 'Too many requests; retry later', {
        retriable: true,
        retryAfterSeconds: refusal.retryAfterSeconds,
      }),
    );
  };
}

/**
 * The request's counts, after the deferred bad-token check when there is one: in one
 * round trip for the usual single limit, else a peek first (a token sent to login, say).
 * The gate's 429 when the address is over its bad-token limit, nothing counted then.
 */
async function countBehindGate(
  store: RateLimitStore,
  gate: DeferredTokenGate | undefined,
  checks: LimitCheck[],
): Promise<WindowHit[] | AppError> {
  const only = checks.length === 1 ? checks[0] : undefined;
  if (gate && only) {
    const result = await store.hitUnlessGated(gate.key, gate.max, only.key, only.windowMs);
    return result.blocked ? gate.refuse(result.gate) : [result.hit];
  }
  if (gate) {
    // As the gate itself does: a failed peek fails open.
    const seen = await store.peek(gate.key).catch(() => undefined);
    if (seen && seen.count >= gate.max) return gate.refuse(seen);
  }
  return Promise.all(checks.map((check) => store.hit(check.key, check.windowMs)));
}
