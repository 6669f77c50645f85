import type { Response } from 'express';
import type { Principal } from '@surge/auth';
import type { AppError } from '@surge/errors';
import type { EdgeRequestTrace } from '@surge/telemetry';
import type { WindowHit } from '../../domain/rate-limit-policy';
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

/**
 * The bad-token check of a request whose token was verified before (token-failure-gate.ts),
 * left to the rate limit, which settles it and the request's own limit in one Redis round
 * trip. `refuse` builds the gate's 429 (and counts it).
 */
export interface DeferredTokenGate {
  key: string;
  max: number;
  refuse(seen: WindowHit): AppError;
}

export function deferTokenGate(res: Response, gate: DeferredTokenGate): void {
  res.locals.gatewayTokenGate = gate;
}

export function deferredTokenGate(res: Response): DeferredTokenGate | undefined {
  return res.locals.gatewayTokenGate as DeferredTokenGate | undefined;
}

/**
 * The request's trace as the public listener began it (proxy-listener.ts): the upstream
 * call takes its traceparent from it. Absent when the gateway's listener does not trace
 * (telemetry off; development fault injection, where the instrumentations do).
 */
export function setEdgeTrace(res: Response, trace: EdgeRequestTrace): void {
  res.locals.edgeTrace = trace;
  // Sampled, the server span is active and the telemetry's field source names the trace;
  // unsampled there is no span, so the log context carries the id (request-basics.ts).
  if (!trace.sampled) res.locals.logTraceId = trace.traceId;
}

export function edgeTraceOf(res: Response): EdgeRequestTrace | undefined {
  return res.locals.edgeTrace as EdgeRequestTrace | undefined;
}
