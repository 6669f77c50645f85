import type { RequestHandler } from 'express';
import type { Logger } from '@surge/logger';
import { routeLabel } from './http-metrics';

/** One structured line per request; health and metrics scrapes only at debug. */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      const fields = {
        method: req.method,
        route: routeLabel(req, res),
        path: req.path,
        status: res.statusCode,
        durationMs,
        userId: (res.locals.principal as { userId?: string } | undefined)?.userId,
      };
      const quiet = req.path.startsWith('/health') || req.path === '/metrics';
      if (quiet) logger.debug(fields, 'request');
      else if (res.statusCode >= 500) logger.warn(fields, 'request');
      else logger.info(fields, 'request');
    });
    next();
  };
}
