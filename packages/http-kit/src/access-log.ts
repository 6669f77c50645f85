import type { Request, Response } from 'express';
import type { Logger } from '@surge/logger';
import { routeLabel } from './http-metrics';

/** One structured line per request, once it is answered; health and metrics scrapes only at debug. */
export function writeAccessLog(logger: Logger, req: Request, res: Response, seconds: number): void {
  const fields = {
    method: req.method,
    route: routeLabel(req, res),
    path: req.path,
    status: res.statusCode,
    durationMs: Math.round(seconds * 1e5) / 100,
    userId: (res.locals.principal as { userId?: string } | undefined)?.userId,
  };
  const quiet = req.path.startsWith('/health') || req.path === '/metrics';
  if (quiet) logger.debug(fields, 'request');
  else if (res.statusCode >= 500) logger.warn(fields, 'request');
  else logger.info(fields, 'request');
}
