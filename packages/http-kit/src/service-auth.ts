import type { RequestHandler, Response } from 'express';
import type { ServicePrincipal, ServiceTokenVerifier } from '@surge/auth';
import { ForbiddenError, UnauthorizedError, isAppError } from '@surge/errors';
import { enrichContext } from '@surge/logger';

const REALM = 'surge-internal';

/**
 * Guards a service's internal routes (`app.use('/internal', requireServiceToken(v), ...)`):
 * every request needs `Authorization: Bearer <service token>` for this service. Without
 * one, or with an invalid one (a user token, a token for another service, expired,
 * forged), the answer is 401 with `WWW-Authenticate` (RFC 6750 §3); the caller is in
 * `res.locals.caller` for the routes' allow-lists (allowCallers).
 */
export function requireServiceToken(verifier: ServiceTokenVerifier): RequestHandler {
  return async (req, res, next) => {
    const header = req.header('authorization');
    const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header) : null;
    if (!match?.[1]) {
      res.setHeader('WWW-Authenticate', `Bearer realm="${REALM}"`);
      return next(
        new UnauthorizedError(
          'UNAUTHORIZED',
          header ? 'Authorization must be "Bearer <service token>"' : 'A service token is required',
        ),
      );
    }
    try {
      const caller = await verifier.verify(match[1]);
      res.locals.caller = caller;
      enrichContext({ caller: caller.service });
      next();
    } catch (error) {
      if (isAppError(error) && error.code !== 'DEPENDENCY_UNAVAILABLE' && error.code !== 'DEPENDENCY_TIMEOUT')
        res.setHeader(
          'WWW-Authenticate',
          `Bearer realm="${REALM}", error="invalid_token", error_description="a service token for ${verifier.audience} is required"`,
        );
      next(error);
    }
  };
}

/**
 * A route's allow-list of calling services, declared next to the route. Behind
 * requireServiceToken; a valid token of a service not in the list is 403.
 */
export function allowCallers(...services: [string, ...string[]]): RequestHandler {
  const allowed = new Set(services);
  return (_req, res, next) => {
    const caller = callerOf(res);
    next(
      allowed.has(caller.service)
        ? undefined
        : new ForbiddenError(`The ${caller.service} service may not call this route`),
    );
  };
}

/** The verified calling service; only behind requireServiceToken. */
export function callerOf(res: Response): ServicePrincipal {
  const caller = res.locals.caller as ServicePrincipal | undefined;
  if (!caller) throw new UnauthorizedError('UNAUTHORIZED', 'A service token is required');
  return caller;
}
