import type { Express, Request, Response } from 'express';
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

export interface HttpMetrics {
  /** Counts an answered request and its duration, labelled by its route template. */
  record(req: Request, res: Response, seconds: number): void;
}

export function httpMetrics(registry: Registry): HttpMetrics {
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
  return {
    record(req, res, seconds) {
      const route =
        typeof res.locals.routeLabel === 'string'
          ? res.locals.routeLabel
          : ((req as TemplateCarrier)[ROUTE_TEMPLATE] ?? 'unmatched');
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}

const ROUTE = Symbol('route');
const ROUTE_TEMPLATE = Symbol('routeTemplate');

interface TemplateCarrier {
  [ROUTE]?: unknown;
  [ROUTE_TEMPLATE]?: string;
}

/**
 * Records the full template of the route that matches (`/api/orders/:id`), taken at the
 * moment express assigns `req.route`, while `req.baseUrl` still holds the mounted
 * router's prefix. Read later it is too late: express restores `req.baseUrl` when a
 * router is left, before the 'finish' event and before the app's error handler answers
 * a thrown error, so a 402 or a 503 would be counted under `/` instead of its route.
 *
 * The accessor is defined once on the app's request prototype (express gives every
 * request of the app that prototype), not on each request: a property defined on an
 * object of its own turns it into a slow dictionary object for the rest of the request.
 */
export function captureRouteTemplates(app: Express): void {
  Object.defineProperty(app.request, 'route', {
    configurable: true,
    enumerable: true,
    get(this: TemplateCarrier) {
      return this[ROUTE];
    },
    set(this: TemplateCarrier & { baseUrl: string }, value: unknown) {
      this[ROUTE] = value;
      const path = (value as { path?: unknown } | undefined)?.path;
      if (typeof path === 'string') this[ROUTE_TEMPLATE] = `${this.baseUrl}${path}`;
    },
  });
}
