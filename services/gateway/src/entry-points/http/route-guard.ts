import type { RequestHandler } from 'express';
import { AppError, UnauthorizedError } from '@surge/errors';
import { isProxiedMethod, matchRoute, matchStorefront, requiresToken } from '../../domain/route-table';
import type { DocumentedMethods } from '../../domain/documented-methods';
import { matchedRoute, principalOrUndefined, setMatchedRoute } from './request-locals';

const STOREFRONT_METHODS = ['GET', 'HEAD', 'POST'];

/**
 * Finds the route for the request: an API rule, else the storefront's pages when one is
 * configured. A path outside the table (including every
 * `/internal/...` path and paths with dot segments) falls through to the kit's 404
 * problem, so the rest of the proxy chain only ever sees routable requests.
 */
export function resolveRoute(options: {
  storefront: boolean;
  documented: DocumentedMethods;
}): RequestHandler {
  return (req, res, next) => {
    // Absolute-form targets (`GET http://host/path`) are for forward proxies, not for us.
    if (!req.url.startsWith('/')) return next('router');
    // Without a configured storefront, a page path stays the 404 problem it always was.
    const rule = matchRoute(req.path) ?? (options.storefront ? matchStorefront(req.path) : undefined);
    if (!rule) return next('router');
    if (!isProxiedMethod(req.method)) {
      // What the contract documents for the path; pages take what forms and links send.
      const allow = (options.documented(req.path) ?? STOREFRONT_METHODS).join(', ');
      res.setHeader('Allow', allow);
      return next(new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed; allowed: ${allow}`));
    }
    setMatchedRoute(res, rule);
    next();
  };
}

/** Runs after the kit's `authenticate`: a protected route without a verified token is a 401. */
export const enforceAccess: RequestHandler = (req, res, next) => {
  const needsToken = requiresToken(matchedRoute(res), req.method);
  next(
    needsToken && !principalOrUndefined(res)
      ? new UnauthorizedError('UNAUTHORIZED', 'Authentication required')
      : undefined,
  );
};
