import type { RequestListener, ServerOptions } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import { createAdminApp } from './admin-app';
import type { Logger } from '@surge/logger';
import type { Registry } from 'prom-client';
import { skipLayerSpansWhenUnsampled } from '@surge/telemetry';
import { jsonBody } from './body-parsing';
import { errorHandler, routeNotFound } from './error-handler';
import { faultInjection, type FaultInjectionOptions } from './faults/fault-injection';
import { healthRoutes, type Lifecycle, type ReadinessCheck } from './health';
import { expressServerClasses } from './express-server-classes';
import { createMetricsRegistry } from './http-metrics';
import { requestBasics } from './request-basics';

export interface HttpAppOptions {
  service: string;
  logger: Logger;
  /** This service's own dependencies, probed by /health/ready. */
  readiness: Record<string, ReadinessCheck>;
  /** Mounts the service's routes; runs after the common middleware, before 404 and errors. */
  routes: (app: Express, kit: { registry: Registry }) => void;
  bodyLimit?: string;
  /** Paths (as mounted, e.g. `/internal/auth/token`) that accept form bodies besides JSON. */
  formBodyPaths?: readonly string[];
  /** The gateway proxies raw bodies and parses nothing itself. */
  parseJson?: boolean;
  registry?: Registry;
  /**
   * Whether a caller's x-deadline-ms is believed (default true: services are called by
   * the gateway and by each other). The gateway, at the edge, passes false: a client's
   * header must not make it give up early (docs/security.md).
   */
  trustCallerDeadline?: boolean;
  /**
   * Development only: `/_control/faults` and the middleware that injects latency, errors,
   * hangs and lost answers (faults/fault-injection.ts). Pass the service's FAULT_INJECTION
   * config flag, which parseConfig refuses with NODE_ENV=production; off by default.
   */
  faultInjection?: boolean | (FaultInjectionOptions & { enabled: boolean });
  /** Operations for the admin listener only (dead-letter replay): reachable by operators, not the public. */
  adminRoutes?: Router;
}

export interface HttpApp {
  /** The public listener's app. */
  app: Express;
  /** The admin listener's app: readiness details, /metrics, /_control (admin-app.ts). */
  admin: Express;
  registry: Registry;
  lifecycle: Lifecycle;
  /**
   * What every request gets first (request-basics.ts) and the one error handler, for a
   * service that answers a hot path outside express's router (the gateway's proxy) and
   * must treat those requests exactly as the app does.
   */
  basics: RequestHandler;
  errorHandler: ErrorRequestHandler;
  /** Whether development fault injection is on (it applies inside the app only). */
  faultsInjected: boolean;
  /** The public listener's request handler when it is not `app` itself (startServer uses it). */
  listener?: RequestListener;
  /**
   * Options of the public listener's node:http server: by default its request and response
   * classes, born with express's prototypes (express-server-classes.ts).
   */
  serverOptions?: ServerOptions;
}

/**
 * The shape every Surge HTTP service shares, in order: request id, security headers,
 * metrics, access log and deadline (one middleware: request-basics.ts), liveness and plain readiness, fault injection (development only), JSON
 * body rules, the service's routes, a 404 problem for anything else, and the one error
 * handler. Metrics, readiness details and the fault switch are on the separate admin
 * app, which startServer serves on its own (loopback by default) listener.
 */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const app = express();
  // Express's last-resort handler prints the error's stack in any env but production; an
  // error that reaches it (a bug: errorHandler answers every one) must show no stack to a
  // client, whatever NODE_ENV says.
  app.set('env', 'production');
  const registry = options.registry ?? createMetricsRegistry(options.service);
  const lifecycle: Lifecycle = { ready: true };
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  const basics = requestBasics({
    app,
    registry,
    logger: options.logger,
    trustCallerDeadline: options.trustCallerDeadline !== false,
  });
  app.use(basics);
  app.use(healthRoutes(options.readiness, lifecycle, options.logger));
  const faultOptions = options.faultInjection;
  const faults =
    faultOptions === true || (typeof faultOptions === 'object' && faultOptions.enabled)
      ? faultInjection(typeof faultOptions === 'object' ? faultOptions : {})
      : undefined;
  if (options.parseJson !== false) app.use(jsonBody(options.bodyLimit ?? '1mb', options.formBodyPaths));
  // After the body is read: a request whose caller gave up during injected latency is
  // still handled, as on a real slow server.
  if (faults) app.use(faults.inject);
  options.routes(app, { registry });
  app.use(routeNotFound());
  const handleError = errorHandler(options.logger);
  app.use(handleError);
  // Every layer is mounted: a request the server decided not to trace passes them without
  // the express instrumentation's wrappers (packages/telemetry, request-sampling.ts).
  skipLayerSpansWhenUnsampled((app as unknown as { router: unknown }).router);
  const admin = createAdminApp({
    checks: options.readiness,
    lifecycle,
    logger: options.logger,
    registry,
    faultControl: faults?.control,
    routes: options.adminRoutes,
  });
  return {
    app,
    admin,
    registry,
    lifecycle,
    basics,
    errorHandler: handleError,
    faultsInjected: faults !== undefined,
    serverOptions: expressServerClasses(app),
  };
}
