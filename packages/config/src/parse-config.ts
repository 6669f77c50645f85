import { AppError } from '@surge/errors';
import { z } from 'zod';
import { kafkaSaslProblems } from './kafka-sasl-env';
import { DEVELOPMENT_CLIENT_SECRET_PATTERN } from './service-client-env';

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
    ? [...(readsKafkaSasl(schema) ? kafkaSaslProblems(env) : []), ...productionProblems(env)]
    : result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
  if (!result.success || problems.length > 0) {
    throw new AppError('CONFIG_INVALID', `invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
  }
  return deepFreeze(result.data) as Readonly<z.infer<S>>;
}

/**
 * Whether a service authenticates to Kafka (its schema has kafkaSaslEnv). Kubernetes hands
 * KAFKA_BROKERS to every service through one ConfigMap, also to those that never use it.
 */
function readsKafkaSasl(schema: z.ZodType): boolean {
  return schema instanceof z.ZodObject && 'KAFKA_SASL_USERNAME' in schema.shape;
}

/**
 * Passwords the repository publishes for development (native stack, compose, the dev
 * overlay): anyone can read them, so production refuses them wherever they appear.
 */
const DEVELOPMENT_PASSWORDS = [
  /^surge_[a-z]+-dev-password$/,
  /^postgres$/,
  /^surge-admin-dev$/,
  /^admin$/,
  // Redis ACL users (infra/stack/src/native/redis-acl.ts): `<user>-redis-dev-password`.
  /^[a-z-]+-redis-dev-password$/,
  /^kafka-[a-z-]+-dev-password$/,
  DEVELOPMENT_CLIENT_SECRET_PATTERN,
];

const isDevelopmentPassword = (password: string) =>
  DEVELOPMENT_PASSWORDS.some((pattern) => pattern.test(decodeURIComponentSafe(password)));

/** The password of a URL-shaped value (postgres://u:p@h, redis://:p@h, smtp://u:p@h), if any. */
function urlPassword(value: string): string | undefined {
  try {
    return new URL(value).password || undefined;
  } catch {
    return undefined;
  }
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Settings that must never reach production, whatever else is configured: fault
 * injection lets anyone who can reach a service make it fail on purpose, and a
 * development password (in a database, Redis or SMTP URL, or as the admin password) is a
 * password everyone has.
 */
function productionProblems(env: Record<string, string | undefined>): string[] {
  if (env['NODE_ENV'] !== 'production') return [];
  const problems: string[] = [];
  // The raw variables, so a schema that renames its fields (the gateway's) is covered too.
  if (['true', '1'].includes(env['FAULT_INJECTION'] ?? ''))
    problems.push('FAULT_INJECTION: must be off when NODE_ENV=production (it is for development only)');
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    const password = name.endsWith('PASSWORD') || name.endsWith('_SECRET') ? value : urlPassword(value);
    if (password !== undefined && isDevelopmentPassword(password))
      problems.push(`${name}: holds a development password, refused when NODE_ENV=production`);
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
