import type { z } from 'zod';
import { ValidationError } from '@surge/errors';

/**
 * Parses untrusted input with a zod schema; on failure throws a ValidationError that
 * lists every field problem (answered as a 400 problem with `errors`).
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  throw new ValidationError(`The ${what} is invalid`, errors);
}
