import type { Request, RequestHandler, Response } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app, so several apps in one test process do not share counters. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Route template (`/api/products/:id`), never the raw path, so label cardinality stays
 * bounded. Handlers that route without express routes (the gateway's proxy) set
 * `res.locals.routeLabel` themselves.
 */
export function routeLabel(req: Request, res: Response): string {
  if (typeof res.locals.routeLabel === 'string') return res.locals.routeLabel;
  const route = req.route as { path?: unknown } | undefined;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  return 'unmatched';
}

export function httpMetrics(registry: Registry): RequestHandler {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const matched = trackMatchedRoute(req);
    res.on('finish', () => {
      const route =
        typeof res.locals.routeLabel === 'string' ? res.locals.routeLabel : (matched() ?? 'unmatched');
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

/**
 * The full template of the route that matched (`/api/orders/:id`), taken at the moment
 * express assigns `req.route`, while `req.baseUrl` still holds the mounted router's
 * prefix. Read later it is too late: express restores `req.baseUrl` when a router is
 * left, before the 'finish' event and before the app's error handler answers a thrown
 * error, so a 402 or a 503 would be counted under `/` instead of its route.
 */
function trackMatchedRoute(req: Request): () => string | undefined {
  let route: unknown;
  let template: string | undefined;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: unknown) {
      route = value;
      const path = (value as { path?: unknown } | undefined)?.path;
      if (typeof path === 'string') template = `${req.baseUrl}${path}`;
    },
  });
  return () => template;
}
