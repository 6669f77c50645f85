/**
 * The one error type Surge code throws on purpose. Every error has a stable `code`
 * (part of the public contract, see docs/api-contract.md), an optional `cause`, `details`
 * that are safe to show a client, and whether retrying the same call could help.
 *
 * The HTTP edge turns codes into statuses with one table (`http-kit`), so domain
 * code never knows about HTTP.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_JSON'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNAUTHORIZED'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'INVALID_REFRESH_TOKEN'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'EMAIL_TAKEN'
  | 'DUPLICATE_SKU'
  | 'INSUFFICIENT_STOCK'
  /** Amounts in two currencies would be added up: a cart and an order hold one currency. */
  | 'CURRENCY_MISMATCH'
  | 'PAYMENT_DECLINED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'REQUEST_IN_PROGRESS'
  | 'RATE_LIMITED'
  | 'OVERLOADED'
  | 'DEPENDENCY_UNAVAILABLE'
  | 'DEPENDENCY_TIMEOUT'
  /** A neighbour answered something its contract (packages/contracts) does not allow. */
  | 'UPSTREAM_CONTRACT_VIOLATION'
  | 'CONFIG_INVALID'
  | 'FAULT_INJECTED'
  | 'INTERNAL';

export interface FieldProblem {
  /** JSON path of the offending field, e.g. `shippingAddress.city`. */
  path: string;
  message: string;
}

export interface AppErrorOptions {
  cause?: unknown;
  /** Extra members of the problem document, safe for clients (e.g. `orderId`). */
  details?: Record<string, unknown>;
  /** Field-level problems, for 400s. */
  errors?: FieldProblem[];
  retriable?: boolean;
  /** Seconds a client should wait, for 429 and 503 answers. */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly errors: FieldProblem[] | undefined;
  readonly retriable: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
    this.errors = options.errors;
    this.retriable = options.retriable ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
