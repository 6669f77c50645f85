import type { Request, Response } from 'express';
import type { Logger } from '@surge/logger';
import { routeLabel } from './http-metrics';

/**
 * One structured line per request, once it is answered; health and metrics scrapes only at
 * debug. `path` is the request's whole path, read when it arrived: by 'finish' a router
 * mounted at a prefix may still hold `req.url` without it (a list read logged as `/`).
 */
export function writeAccessLog(
  logger: Logger,
  req: Request,
  res: Response,
  seconds: number,
  path: string,
): void {
  const fields = {
    method: req.method,
    route: routeLabel(req, res),
    path,
    status: res.statusCode,
    durationMs: Math.round(seconds * 1e5) / 100,
    userId: (res.locals.principal as { userId?: string } | undefined)?.userId,
  };
  const quiet = path.startsWith('/health') || path === '/metrics';
  if (quiet) logger.debug(fields, 'request');
  else if (res.statusCode >= 500) logger.warn(fields, 'request');
  else logger.info(fields, 'request');
}
