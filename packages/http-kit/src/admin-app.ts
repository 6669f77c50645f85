import express, { type Express, type Router } from 'express';
import type { Logger } from '@surge/logger';
import type { Registry } from 'prom-client';
import { errorHandler, routeNotFound } from './error-handler';
import { adminHealthRoutes, type Lifecycle, type ReadinessCheck } from './health';

/**
 * The admin listener's app: readiness with each dependency named, `/metrics`, and (in
 * development) `/_control/faults`. It is served on its own port (ADMIN_PORT, bound to
 * ADMIN_HOST, loopback by default), never on the public one: metrics describe the
 * system to an attacker and the fault switch would let anyone who reaches the port make
 * the service fail on purpose (docs/security.md).
 */
export function createAdminApp(options: {
  checks: Record<string, ReadinessCheck>;
  lifecycle: Lifecycle;
  logger: Logger;
  registry: Registry;
  faultControl: Router | undefined;
  /** The service's own admin operations (e.g. dead-letter replay); never on the public port. */
  routes?: Router | undefined;
}): Express {
  const admin = express();
  // Express's last-resort handler prints the error's stack in any env but production; an
  // error that reaches it (a bug: errorHandler answers every one) must show no stack to a
  // client, whatever NODE_ENV says.
  admin.set('env', 'production');
  admin.disable('x-powered-by');
  admin.disable('etag');
  admin.set('query parser', 'simple');
  admin.use(adminHealthRoutes(options.checks, options.lifecycle, options.logger, options.registry));
  if (options.faultControl) admin.use('/_control', options.faultControl);
  if (options.routes) admin.use(options.routes);
  admin.use(routeNotFound());
  admin.use(errorHandler(options.logger));
  return admin;
}
