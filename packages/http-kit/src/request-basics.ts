import type { Express, RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '@surge/logger';
import { runWithContext, type RequestContext } from '@surge/logger';
import { writeAccessLog } from './access-log';
import { deadline } from './deadline';
import { captureRouteTemplates, httpMetrics } from './http-metrics';
import { sendProblem } from './problem-details';
import { requestIdOf, requestIdProblem } from './request-id';
import { setSecurityHeaders } from './security-headers';

export interface RequestBasicsOptions {
  app: Express;
  registry: Registry;
  logger: Logger;
  trustCallerDeadline: boolean;
}

/**
 * What every request gets before any route, as one middleware: its id (echoed, and the
 * context of every log line), the security headers, metrics and the access log line
 * when the answer is finished, and the caller's deadline.
 *
 * One middleware rather than five: each express layer costs a router step (and, with
 * tracing, an instrumentation wrapper and a context binding), and each 'finish' listener
 * on a traced response is wrapped to carry the context; the five together were about a
 * tenth of a cached read's CPU in the product service's profile.
 */
export function requestBasics(options: RequestBasicsOptions): RequestHandler {
  captureRouteTemplates(options.app);
  const metrics = httpMetrics(options.registry);
  const checkDeadline = deadline({ trustHeader: options.trustCallerDeadline });
  return (req, res, next) => {
    const id = requestIdOf(req);
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    setSecurityHeaders(res);
    const started = process.hrtime.bigint();
    const path = req.path;
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.record(req, res, seconds);
      writeAccessLog(options.logger, req, res, seconds, path);
    });
    const badId = requestIdProblem(req);
    const context = logContext(id, res.locals.logTraceId);
    if (badId) return void runWithContext(context, () => sendProblem(res, badId));
    runWithContext(context, () => checkDeadline(req, res, next));
  };
}

/**
 * The request's log context. `res.locals.logTraceId` is set by a listener that traces
 * without an active span (the gateway's, for a request it did not sample), so its lines
 * still carry the trace id the services log under.
 */
function logContext(requestId: string, traceId: unknown): RequestContext {
  return typeof traceId === 'string' ? { requestId, traceId } : { requestId };
}
