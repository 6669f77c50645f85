import { AppError, type AppErrorOptions, type ErrorCode, type FieldProblem } from './app-error';

/** Subclasses name the family; the code says exactly what went wrong. */
export class ValidationError extends AppError {
  constructor(message: string, errors: FieldProblem[] = [], options: AppErrorOptions = {}) {
    super('VALIDATION_FAILED', message, { ...options, errors });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, options: AppErrorOptions = {}) {
    super('NOT_FOUND', `${what} not found`, options);
  }
}

export class ConflictError extends AppError {
  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
  }
}

export class UnauthorizedError extends AppError {
  constructor(
    code: Extract<
      ErrorCode,
      'UNAUTHORIZED' | 'INVALID_CREDENTIALS' | 'INVALID_TOKEN' | 'TOKEN_EXPIRED' | 'INVALID_REFRESH_TOKEN'
    > = 'UNAUTHORIZED',
    message = 'Authentication required',
    options: AppErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Not allowed', options: AppErrorOptions = {}) {
    super('FORBIDDEN', message, options);
  }
}

/** The codes of a DependencyError: what the caller can tell about the failed call. */
export type DependencyErrorCode = Extract<
  ErrorCode,
  'DEPENDENCY_UNAVAILABLE' | 'DEPENDENCY_TIMEOUT' | 'UPSTREAM_CONTRACT_VIOLATION'
>;

/**
 * A call to another service or to infrastructure failed in a way the caller cannot
 * fix: refused, timed out, breaker open, or answered outside its contract. Keeps the
 * original as `cause` for the log.
 */
export class DependencyError extends AppError {
  readonly dependency: string;
  constructor(
    dependency: string,
    message: string,
    options: AppErrorOptions & { timeout?: boolean; code?: DependencyErrorCode } = {},
  ) {
    const { code, timeout, ...rest } = options;
    super(code ?? (timeout ? 'DEPENDENCY_TIMEOUT' : 'DEPENDENCY_UNAVAILABLE'), message, {
      retriable: true,
      ...rest,
    });
    this.dependency = dependency;
  }
}

/**
 * A neighbour answered with a status or a body its contract (packages/contracts) does
 * not allow: a version skew or a bug on either side. It is still a dependency failure
 * whose effect is unknown: a call that may have changed something (a charge) may have
 * done so, and callers treat it as they treat a timeout.
 */
export class UpstreamContractError extends DependencyError {
  constructor(dependency: string, message: string, options: AppErrorOptions = {}) {
    super(dependency, message, { ...options, code: 'UPSTREAM_CONTRACT_VIOLATION' });
  }
}
