import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from 'express';
import { AppError } from '@surge/errors';
import { routeLabel } from '@surge/http-kit';
import { beginEdgeRequest, type EdgeRequestTrace } from '@surge/telemetry';
import { setEdgeTrace } from './request-locals';

export interface ProxyListenerParts {
  /** The express app: the gateway's own routes (health, docs), 404s and the storefront's pages. */
  app: Express;
  /** The proxy chain, in order, each step as the express middleware it is (gateway-routes.ts). */
  chain: readonly RequestHandler[];
  /** The kit's error handler: AppErrors become problem details, anything else a bare 500. */
  errorHandler: ErrorRequestHandler;
}

/**
 * The public listener. Every `/api/...` request runs the proxy chain here, straight from
 * node:http; everything else goes to express.
 *
 * Why outside express: the gateway's profile put express's router (a layer match and a
 * `next` per mounted layer, the app's own layers included, for every request) among the
 * largest costs of a proxied read, and a proxy has no use for routing beyond the prefix
 * table it already has. Real proxies take this shortcut. The steps themselves are the
 * same express middleware, on the same request and response prototypes as the app gives
 * them (`req.ip` with the app's trust-proxy setting, `res.status().send()` of problem
 * details), run one after the other by `runChain` with express's contract: `next(error)`
 * or a rejected promise goes to the error handler, and nothing else is called after it.
 *
 * The listener also makes the gateway's server spans, for both kinds of request: the
 * HTTP instrumentation is off in the gateway (packages/telemetry, `listenerSpans`).
 */
export function proxyListener(parts: ProxyListenerParts): RequestListener {
  const { app, chain, errorHandler } = parts;
  const serve = (req: IncomingMessage, res: ServerResponse, edge: EdgeRequestTrace | undefined): void => {
    // Express keeps locals a response already has (express 5, lib/application.js).
    const response = res as Response;
    response.locals = Object.create(null) as Record<string, unknown>;
    if (edge) setEdgeTrace(response, edge);
    if (!isApiRequest(req.url)) {
      app(req, res);
      return;
    }
    // What express's app.handle does before its router (express 5, lib/application.js),
    // but the prototypes: the server made req and res with express's (expressServerClasses in @surge/http-kit).
    const request = req as Request;
    request.res = response;
    response.req = request;
    runChain(chain, request, response, (error) => {
      const failure =
        error ?? new AppError('ROUTE_NOT_FOUND', `No route for ${req.method} ${pathOf(req.url ?? '/')}`);
      errorHandler(failure, request, response, (unhandled?: unknown) => destroy(res, unhandled));
    });
  };
  return (req, res) => {
    // Tracing decides first (edge-request-trace.ts): an unsampled request costs a
    // traceparent for its upstream call and nothing else; a sampled one runs in its
    // server span's context, which ends when the answer is out or the client gone.
    const edge = beginEdgeRequest(req);
    if (!edge?.sampled) return serve(req, res, edge);
    res.once('close', () => edge.finish(res.statusCode, spanRoute(req as Request, res as Response)));
    edge.run(() => serve(req, res, edge));
  };
}

/** The route template of the server span: the proxy's prefix (`/api/products/*`) or express's route. */
function spanRoute(req: Request, res: Response): string | undefined {
  const route = routeLabel(req, res);
  return route === 'unmatched' ? undefined : route;
}

/**
 * Every `/api/` path: the proxy chain's route step answers those outside the table with
 * the same 404 problem express would (the storefront never serves `/api`).
 */
function isApiRequest(url: string | undefined): boolean {
  return url !== undefined && url.startsWith('/api/');
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Runs middleware in order. `done` is called at most once: with the error a step passed
 * to `next` (or threw, or rejected with), or with undefined when a step passed the request
 * on past the last one (`next()`, `next('router')`, `next('route')`): then no step
 * answered it, and the caller answers 404 as express would.
 */
export function runChain(
  chain: readonly RequestHandler[],
  req: Request,
  res: Response,
  done: (error: unknown) => void,
): void {
  let index = 0;
  let finished = false;
  const finish = (error: unknown) => {
    if (finished) return;
    finished = true;
    done(error);
  };
  const next = (error?: unknown): void => {
    if (finished) return;
    if (error === 'router' || error === 'route') return finish(undefined);
    if (error !== undefined && error !== null) return finish(error);
    const step = chain[index++];
    if (!step) return finish(undefined);
    try {
      const result = step(req, res, next) as unknown;
      if (result instanceof Promise)
        result.catch((thrown: unknown) => finish(thrown ?? new Error('rejected')));
    } catch (thrown) {
      finish(thrown);
    }
  };
  next();
}

/**
 * The error handler passes an error on only when the answer has already begun: the one
 * honest signal left is a cut connection (express's final handler does the same).
 */
function destroy(res: ServerResponse, error: unknown): void {
  if (error !== undefined) res.destroy(error instanceof Error ? error : undefined);
}
