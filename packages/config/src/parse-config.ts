import { AppError } from '@surge/errors';
import { z } from 'zod';

/**
 * Parses the environment once at start with a zod schema and returns a frozen, typed
 * object. Every problem is reported at once, so a misconfigured deploy fails with the
 * whole list instead of one variable per restart.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.infer<S>> {
  const result = schema.safeParse(env);
  const problems = result.success
    ? productionProblems(env)
    : result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
  if (!result.success || problems.length > 0) {
    throw new AppError('CONFIG_INVALID', `invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
  }
  return deepFreeze(result.data) as Readonly<z.infer<S>>;
}

/**
 * Settings that must never reach production, whatever else is configured: fault
 * injection lets anyone who can reach a service make it fail on purpose.
 */
function productionProblems(env: Record<string, string | undefined>): string[] {
  // The raw variables, so a schema that renames its fields (the gateway's) is covered too.
  const faultInjection = ['true', '1'].includes(env['FAULT_INJECTION'] ?? '');
  return env['NODE_ENV'] === 'production' && faultInjection
    ? ['FAULT_INJECTION: must be off when NODE_ENV=production (it is for development only)']
    : [];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
