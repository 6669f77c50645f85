import { z } from 'zod';

/**
 * Suffix of every Kafka principal's development password: `kafka-<principal>` + this.
 * The native stack, docker compose and the Kubernetes dev overlay use these; parseConfig
 * refuses them in production, like the other passwords the repository publishes.
 */
export const KAFKA_DEV_PASSWORD_SUFFIX = '-dev-password';

/** The development password of a Kafka SCRAM principal (public: never for production). */
export function devKafkaPassword(principal: string): string {
  return `kafka-${principal}${KAFKA_DEV_PASSWORD_SUFFIX}`;
}

/**
 * The broker's SASL/SCRAM-SHA-512 credentials of a service (its principal and password).
 * Separate variables rather than credentials in KAFKA_BROKERS: a broker list has no
 * standard URL form, and Kubernetes Secrets map onto single variables. Both or neither;
 * with NODE_ENV=production both are required wherever KAFKA_BROKERS is set (parseConfig).
 */
export const kafkaSaslEnv = {
  KAFKA_SASL_USERNAME: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'must be a principal name')
    .optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
};

export interface KafkaSasl {
  username: string;
  password: string;
}

/** The SASL settings createKafka takes, or undefined for a broker without authentication. */
export function kafkaSaslOf(config: {
  KAFKA_SASL_USERNAME?: string | undefined;
  KAFKA_SASL_PASSWORD?: string | undefined;
}): KafkaSasl | undefined {
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
  return username && password ? { username, password } : undefined;
}

/**
 * What is wrong with a service's Kafka credentials: half a pair anywhere, and none at all
 * in production (an unauthenticated client could write any topic if the broker allowed it,
 * and a production broker refuses it anyway: better to say so at start).
 */
export function kafkaSaslProblems(env: Record<string, string | undefined>): string[] {
  const username = env['KAFKA_SASL_USERNAME'];
  const password = env['KAFKA_SASL_PASSWORD'];
  if (Boolean(username) !== Boolean(password))
    return ['KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD: set both or neither'];
  if (env['NODE_ENV'] === 'production' && env['KAFKA_BROKERS'] && !username)
    return [
      'KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD: required when NODE_ENV=production (the broker authenticates every client)',
    ];
  return [];
}
