import { redisServiceUrl } from '@surge/stack/native';

/**
 * The product service as the benches measure it alone (service-reads, service-reads-ab):
 * its catalog seeded from its own database, no Kafka relay, and the user service's and the
 * trace exporter's addresses at a sink. As the stack runs it, it uses its own Redis user,
 * whose keys must start with `product:` (its ACL allows nothing else).
 */
export function productBenchEnv(options: {
  port: number;
  adminPort: number;
  databaseUrl: string;
  redisUrl: string;
  /** After `product:`: keeps each run's cache apart. */
  keyPrefix: string;
  sink: string;
}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(options.port),
    ADMIN_PORT: String(options.adminPort),
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: redisServiceUrl(options.redisUrl, 'product'),
    REDIS_KEY_PREFIX: `product:${options.keyPrefix}:`,
    KAFKA_BROKERS: '',
    OUTBOX_RELAY: 'false',
    USER_SERVICE_URL: options.sink,
    SEED_CATALOG: 'true',
    SEED_CATALOG_SIZE: '1000',
    OTEL_SERVICE_NAME: 'product',
    OTEL_EXPORTER_OTLP_ENDPOINT: options.sink,
  };
}
