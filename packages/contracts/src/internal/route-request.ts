import type { z } from 'zod';
import type { RouteContract } from './route-contract';

type Part<R, K extends 'params' | 'headers' | 'body'> = R extends { [P in K]: infer S extends z.ZodType }
  ? { [P in K]: z.input<S> }
  : { [P in K]?: undefined };

/**
 * What a client sends on a route, typed by the route's own schemas: its path parameters,
 * its request headers (the charge's `idempotency-key`, so a client cannot forget it) and
 * its body, each required exactly when the route declares it. The input side of the
 * schema: fields with a default may be left out, as the server fills them in.
 */
export type RouteRequest<R extends RouteContract> = Part<R, 'params'> & Part<R, 'headers'> & Part<R, 'body'>;

const TEMPLATE_PARAM = /\{([^}]+)\}/g;

/**
 * The route's OpenAPI path template with its parameters filled in, each one URI-encoded
 * (`/internal/reservations/{orderId}/commit` → `/internal/reservations/<id>/commit`): the
 * path a client calls is the one the document names, never a second copy of it. A
 * parameter the template names and `params` lacks is a bug in the caller, not a request
 * to send.
 */
export function routePath(route: Pick<RouteContract, 'operationId' | 'path'>, params?: object): string {
  const values: Readonly<Record<string, unknown>> = { ...params };
  return route.path.replace(TEMPLATE_PARAM, (_match, name: string) => {
    const value = values[name];
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(`${route.operationId}: path parameter ${name} is missing`);
    }
    return encodeURIComponent(String(value));
  });
}
