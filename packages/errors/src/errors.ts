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

/**
 * A call to another service or to infrastructure failed in a way the caller cannot
 * fix: refused, timed out, breaker open. Keeps the original as `cause` for the log.
 */
export class DependencyError extends AppError {
  readonly dependency: string;
  constructor(dependency: string, message: string, options: AppErrorOptions & { timeout?: boolean } = {}) {
    super(options.timeout ? 'DEPENDENCY_TIMEOUT' : 'DEPENDENCY_UNAVAILABLE', message, {
      retriable: true,
      ...options,
    });
    this.dependency = dependency;
  }
}
