import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, DependencyError, isAppError, isConnectionFailure, type ErrorCode } from '@surge/errors';
import type { Logger } from '@surge/logger';
import { allowedMethods, routerStack } from './allowed-methods';
import { fromBodyParserError } from './body-parsing';
import { internalError, sendProblem } from './problem-details';

/**
 * After every route: a path some route serves under other methods is 405 with `Allow`
 * (a client learns what it may do), anything else the 404 problem.
 */
export function routeNotFound(): RequestHandler {
  return (req, res, next) => {
    // The path from the app's root: mounted under a prefix (a service's `/internal`),
    // req.path is the rest below it, which no route of the app's stack matches.
    const allowed = allowedMethods(routerStack(req.app), `${req.baseUrl}${req.path}`);
    if (allowed.size > 0 && !allowed.has(req.method)) {
      const allow = [...allowed].sort().join(', ');
      res.setHeader('Allow', allow);
      next(
        new AppError(
          'METHOD_NOT_ALLOWED',
          `${req.method} is not allowed on ${req.baseUrl}${req.path}; allowed: ${allow}`,
        ),
      );
      return;
    }
    next(new AppError('ROUTE_NOT_FOUND', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`));
  };
}

const DEPENDENCY_CODES: ReadonlySet<ErrorCode> = new Set([
  'DEPENDENCY_UNAVAILABLE',
  'DEPENDENCY_TIMEOUT',
  'UPSTREAM_CONTRACT_VIOLATION',
]);

/**
 * The last middleware. AppErrors become their problem; body-parser errors become
 * 400/413/415 problems; anything else is a bug: logged with its stack, answered as a
 * bare 500 with no detail.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = isAppError(error) ? error : fromBodyParserError(error);
    if (known) {
      if (known instanceof DependencyError || DEPENDENCY_CODES.has(known.code)) {
        // Only under `err`: pino's error serializer walks the cause chain, while a DOMException
        // (an AbortSignal timeout) under any other key makes redaction throw.
        logger.warn({ err: known }, 'dependency failed');
      }
      sendProblem(res, known);
      return;
    }
    if (isConnectionFailure(error)) {
      logger.warn({ err: error }, 'a dependency could not be reached');
      sendProblem(
        res,
        new AppError('DEPENDENCY_UNAVAILABLE', 'A dependency is unavailable; try again shortly', {
          retryAfterSeconds: 1,
        }),
      );
      return;
    }
    logger.error({ err: error }, 'unhandled error');
    sendProblem(res, internalError());
  };
}
