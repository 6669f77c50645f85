import {
  readAnswer,
  routePath,
  type RouteAnswer,
  type RouteContract,
  type RouteRequest,
} from '@surge/contracts';
import type { CallOptions, ServiceCaller } from './call-types';

/** A method the contract may name must map to one undici sends: adding one to RouteContract fails here. */
const METHODS = { get: 'GET', post: 'POST' } as const satisfies Record<
  RouteContract['method'],
  NonNullable<CallOptions['method']>
>;

/** What a caller decides per call rather than per route. */
export type RouteCallOptions = Pick<CallOptions, 'idempotent' | 'timeoutMs'>;

/**
 * One call of an internal API route, as its contract has it: the method and the path
 * come from the route (its parameters filled in and encoded), the request is typed by the
 * route's schemas, and the answer is read with readAnswer (parsed, or an
 * UpstreamContractError). Lives here rather than beside readAnswer because it needs a
 * ServiceCaller, and this package already depends on the contracts (never the reverse).
 *
 * Whether the call may be retried is the call policy's rule, unchanged (call-policy.ts):
 * `idempotent` when the caller states it, else the method's semantics or the request's
 * `Idempotency-Key` header. Nothing here adds a key or a retry the caller did not ask for.
 */
export async function callRoute<R extends RouteContract>(
  client: ServiceCaller,
  upstream: string,
  route: R,
  request: RouteRequest<R> & RouteCallOptions,
): Promise<RouteAnswer<R>> {
  const { params, headers, body, idempotent, timeoutMs } = request;
  const answer = await client.call({
    method: METHODS[route.method],
    path: routePath(route, params),
    ...(headers === undefined ? {} : { headers: headerValues(headers) }),
    ...(body === undefined ? {} : { body }),
    ...(idempotent === undefined ? {} : { idempotent }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return readAnswer(upstream, route, answer);
}

/** Header schemas are strings; this only turns the parsed object into what undici sends. */
function headerValues(headers: object): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
}
