import type { Response } from 'express';
import type { Principal } from '@surge/auth';
import type { RouteRule } from '../../domain/route-table';

/**
 * Typed access to what earlier middleware left in `res.locals` (express types it as
 * `any`): the kit's request id and principal, and the gateway's matched route.
 */
export function requestIdOf(res: Response): string {
  return String(res.locals.requestId);
}

export function principalOrUndefined(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

export function setMatchedRoute(res: Response, rule: RouteRule): void {
  res.locals.gatewayRoute = rule;
  // The kit's request metrics and access log label proxied traffic by route prefix.
  res.locals.routeLabel = rule.prefix === '/' ? '/*' : `${rule.prefix}/*`;
}

export function matchedRoute(res: Response): RouteRule {
  const rule = res.locals.gatewayRoute as RouteRule | undefined;
  if (!rule) throw new Error('matchedRoute called before the route guard');
  return rule;
}
