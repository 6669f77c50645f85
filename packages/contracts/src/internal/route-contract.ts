import { z } from 'zod';
import type { ErrorCode } from '@surge/errors';

/**
 * One route of an internal API, written once: what the server validates, what the
 * client parses, what a test stub must answer and what the OpenAPI document says. A
 * route lists every status it may answer, and for each error status the stable codes
 * that status may carry (`codes`), so "every documented status is real and every real
 * status is documented" is one list to keep true.
 */
export interface RouteContract {
  /** The service that serves the route (its OpenAPI document). */
  service: InternalService;
  operationId: string;
  method: 'get' | 'post';
  /** OpenAPI template (`/internal/reservations/{orderId}/commit`). */
  path: string;
  summary: string;
  description: string;
  /**
   * The services a route lets call it (its allow-list, docs/security.md): the route needs a
   * service token for `service`. Absent: no service token (the provider, the JWKS, the
   * token endpoint itself).
   */
  callers?: readonly [string, ...string[]];
  params?: z.ZodObject;
  /** Request headers, lower-case names. */
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** Media types the body may come as; JSON when absent. */
  bodyMediaTypes?: readonly string[];
  responses: Readonly<Record<number, ResponseContract>>;
}

export type InternalService = 'product' | 'payment' | 'payment-provider' | 'user';

export interface ResponseContract {
  description: string;
  body: z.ZodType;
  /** Problem answers: the stable codes this status may carry on this route. */
  codes?: readonly ErrorCode[];
  /** Response headers worth naming (`Retry-After`, `WWW-Authenticate`). */
  headers?: Readonly<Record<string, string>>;
}

/** RFC 9457 §3.1's members plus Surge's (docs/api-contract.md, "Errors"). */
const fieldProblem = z.object({
  path: z.string().describe('JSON path of the offending field, `(root)` for the whole value'),
  message: z.string(),
});

/**
 * A problem document whose `code` is one of `codes`, with extension members (RFC 9457
 * §3.2) allowed: `details` of the error are spread into the document.
 */
export function problemOf<
  const C extends readonly [ErrorCode, ...ErrorCode[]],
  E extends z.ZodRawShape = Record<never, never>,
>(codes: C, extensions: E = {} as E) {
  return z.looseObject({
    type: z.string().describe('A URI reference naming the problem type: `/problems/<code>`'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    code: z.enum(codes),
    requestId: z.string().optional().describe('The x-request-id of the request, for the logs'),
    errors: z.array(fieldProblem).optional().describe('Field problems of a 400'),
    ...extensions,
  });
}

/** Any problem document, whatever its code (for statuses whose body a caller never reads). */
export const problemDocument = problemOf(['INTERNAL'] as const).extend({ code: z.string() });
export type ProblemDocument = z.infer<typeof problemDocument>;

/** A problem answer of a route: its codes, documented and parsed as one. */
export function problemAnswer<
  const C extends readonly [ErrorCode, ...ErrorCode[]],
  E extends z.ZodRawShape = Record<never, never>,
>(description: string, codes: C, extensions: E = {} as E, headers?: Readonly<Record<string, string>>) {
  return {
    description,
    body: problemOf(codes, extensions),
    codes,
    ...(headers ? { headers } : {}),
  } satisfies ResponseContract;
}

const RETRY_AFTER = { 'Retry-After': 'Seconds to wait before trying again' };

/**
 * What every route answers whatever it does: a body that is not JSON or too large, the
 * development fault switch and bugs (500), and dependencies that are down or slow,
 * including the caller's own deadline (503/504).
 */
export const COMMON_ANSWERS = {
  413: problemAnswer('The body is too large', ['PAYLOAD_TOO_LARGE']),
  500: problemAnswer('A bug, or a fault injected on purpose (development only)', [
    'INTERNAL',
    'FAULT_INJECTED',
  ]),
  503: problemAnswer(
    'A dependency of this service is unavailable; try again shortly',
    ['DEPENDENCY_UNAVAILABLE', 'OVERLOADED'],
    {},
    RETRY_AFTER,
  ),
  504: problemAnswer("A dependency did not answer within the caller's deadline (`x-deadline-ms`)", [
    'DEPENDENCY_TIMEOUT',
  ]),
} as const satisfies Record<number, ResponseContract>;

/** Routes behind requireServiceToken and an allow-list (http-kit's service-auth). */
export const SERVICE_AUTH_ANSWERS = {
  401: problemAnswer(
    'No service token, or one that is invalid, expired or for another service',
    ['UNAUTHORIZED', 'INVALID_TOKEN', 'TOKEN_EXPIRED'],
    {},
    { 'WWW-Authenticate': 'Bearer realm="surge-internal"' },
  ),
  403: problemAnswer('A valid service token of a service that may not call this route', ['FORBIDDEN']),
} as const satisfies Record<number, ResponseContract>;

/** A route that reads a JSON body: 400 for a body that is not JSON or breaks the schema, 415 for another type. */
export const JSON_BODY_ANSWERS = {
  400: problemAnswer('The request breaks the schema (`errors` lists each problem), or is not JSON', [
    'VALIDATION_FAILED',
    'MALFORMED_JSON',
  ]),
  415: problemAnswer('The body is not `application/json`', ['UNSUPPORTED_MEDIA_TYPE']),
} as const satisfies Record<number, ResponseContract>;

/** The error codes a route may answer, in one list (for its table in the docs and for tests). */
export function errorCodesOf(route: RouteContract): ErrorCode[] {
  const codes = Object.values(route.responses).flatMap((answer) => answer.codes ?? []);
  return [...new Set(codes)].sort();
}
