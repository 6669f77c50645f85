import type { Response } from 'express';
import { AppError, type ErrorCode, type FieldProblem } from '@surge/errors';

/**
 * The one table that turns stable error codes into HTTP statuses. Domain code throws
 * AppErrors; only the HTTP edge knows this table.
 */
export const statusByCode: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  INVALID_REFRESH_TOKEN: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  DUPLICATE_SKU: 409,
  INSUFFICIENT_STOCK: 409,
  CURRENCY_MISMATCH: 409,
  PAYMENT_DECLINED: 402,
  IDEMPOTENCY_KEY_REUSED: 422,
  REQUEST_IN_PROGRESS: 409,
  RATE_LIMITED: 429,
  OVERLOADED: 503,
  DEPENDENCY_UNAVAILABLE: 503,
  DEPENDENCY_TIMEOUT: 504,
  /** RFC 9110 §15.6.3: an invalid answer from the server this one called. */
  UPSTREAM_CONTRACT_VIOLATION: 502,
  CONFIG_INVALID: 500,
  /** A development fault switched on with `npm run stack -- fault` (faults/fault-injection.ts). */
  FAULT_INJECTED: 500,
  INTERNAL: 500,
};

const titleByStatus: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** RFC 9457 problem details, as docs/api-contract.md defines them. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string | undefined;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

export function problemType(code: ErrorCode): string {
  return `/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

/** Builds the document for an AppError; `detail` is the error's own client-safe message. */
export function toProblem(error: AppError, requestId: string | undefined): ProblemDocument {
  const status = statusByCode[error.code];
  const problem: ProblemDocument = {
    ...(error.details ?? {}),
    type: problemType(error.code),
    title: titleByStatus[status] ?? 'Error',
    status,
    detail: status >= 500 && error.code === 'INTERNAL' ? 'An unexpected error occurred.' : error.message,
    code: error.code,
    requestId,
  };
  if (error.errors && error.errors.length > 0) problem.errors = error.errors;
  return problem;
}

export function sendProblem(res: Response, error: AppError): void {
  const problem = toProblem(error, res.locals.requestId as string | undefined);
  if (error.retryAfterSeconds !== undefined)
    res.setHeader('Retry-After', String(Math.ceil(error.retryAfterSeconds)));
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

export const internalError = (): AppError => new AppError('INTERNAL', 'An unexpected error occurred.');
