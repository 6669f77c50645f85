import type { RequestHandler, Response } from 'express';
import type { Principal, Role, TokenVerifier } from '@surge/auth';
import { ForbiddenError, UnauthorizedError } from '@surge/errors';
import { enrichContext } from '@surge/logger';

/**
 * Verifies the bearer token when one is present and puts the principal in
 * `res.locals.principal`. Services run this too: a request that reaches a service
 * without passing the gateway is not trusted.
 */
export function authenticate(verifier: TokenVerifier): RequestHandler {
  return async (req, res, next) => {
    const header = req.header('authorization');
    if (!header) return next();
    const token = bearerToken(header);
    if (!token) return next(new UnauthorizedError('INVALID_TOKEN', 'Authorization must be "Bearer <token>"'));
    try {
      const principal = await verifier.verify(token);
      res.locals.principal = principal;
      enrichContext({ userId: principal.userId });
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** The token of an `Authorization: Bearer <token>` header, or undefined when the header is not one. */
export function bearerToken(header: string): string | undefined {
  return /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header)?.[1];
}

export const requireAuth: RequestHandler = (_req, res, next) => {
  next(res.locals.principal ? undefined : new UnauthorizedError('UNAUTHORIZED', 'Authentication required'));
};

export function requireRole(role: Role): RequestHandler {
  return (_req, res, next) => {
    const principal = res.locals.principal as Principal | undefined;
    if (!principal) return next(new UnauthorizedError('UNAUTHORIZED', 'Authentication required'));
    next(principal.role === role ? undefined : new ForbiddenError(`Requires the ${role} role`));
  };
}

/** The verified caller; only call behind requireAuth. */
export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new UnauthorizedError('UNAUTHORIZED', 'Authentication required');
  return principal;
}
