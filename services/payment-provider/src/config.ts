import { z } from 'zod';
import { baseServiceEnv, parseConfig, port, postgresUrl } from '@surge/config';

const schema = z.object({
  ...baseServiceEnv,
  PORT: port(3010),
  /** The simulator keeps its charges in a database of its own, so idempotency keys survive restarts. */
  DATABASE_URL: postgresUrl,
});

export type ProviderConfig = Readonly<z.infer<typeof schema>>;

export function loadConfig(env: Record<string, string | undefined>): ProviderConfig {
  return parseConfig(schema, env);
}
