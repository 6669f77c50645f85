import { RemoteJwks, TokenVerifier } from '@surge/auth';
import { kafkaSaslOf, upstreamBreakerOptions } from '@surge/config';
import { ServiceClient } from '@surge/http-client';
import {
  authenticate,
  createHttpApp,
  createMetricsRegistry,
  startServer,
  type RunningServer,
} from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import {
  createKafka,
  deadLetterAdminRoutes,
  messagingMigrationsDir,
  registerConsumerLagMetrics,
  registerDeadLetterMetric,
} from '@surge/messaging';
import { createPool, pingPostgres, registerPoolMetrics, runMigrations } from '@surge/postgres';
import { createSmtpMailer } from './clients/smtp-mailer';
import type { NotificationConfig } from './config';
import { migrationsDir } from './data-access/migrations-dir';
import { createNotificationRepository } from './data-access/notification-repository';
import type { DeliveryDeps } from './domain/deliver-notification';
import { notificationRoutes } from './entry-points/http/notification-routes';
import { startRetryPendingJob } from './entry-points/jobs/retry-pending-job';
import { CONSUMED_TOPICS, createEventConsumer } from './entry-points/kafka/event-consumer';
import { startConsumers } from './entry-points/kafka/start-consumers';
import { createNotificationMetrics } from './metrics';

export const SERVICE_NAME = 'notification';

export interface NotificationService extends RunningServer {
  /** Resolves once the Kafka consumers have joined their groups. */
  consumersStarted: Promise<void>;
}

/**
 * Wires the notification service: migrations, pool, SMTP, the Kafka consumers, the
 * retry job for unsent mail, and GET /api/notifications. main.ts calls it with the
 * parsed environment; tests call it with their own config on port 0.
 */
export async function startNotificationService(
  config: NotificationConfig,
  logger: Logger,
): Promise<NotificationService> {
  await runMigrations({ databaseUrl: config.DATABASE_URL, dir: migrationsDir, logger });
  await runMigrations({
    databaseUrl: config.DATABASE_URL,
    dir: messagingMigrationsDir,
    logger,
    table: 'schema_migrations_messaging',
  });
  const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: SERVICE_NAME, logger });
  const store = createNotificationRepository(pool);
  // The client's metrics go to the registry the app serves on /metrics, so it exists first.
  const registry = createMetricsRegistry(SERVICE_NAME);
  registerPoolMetrics(registry, pool);
  // JWKS reads only: a GET, retried; an open breaker fails token checks of unknown keys at
  // once (503) while cached keys keep verifying. Mail delivery never calls the user service.
  const users = new ServiceClient({
    name: 'user',
    baseUrl: config.USER_SERVICE_URL,
    timeoutMs: 2_000,
    breaker: upstreamBreakerOptions(config),
    retry: true,
    registry,
    logger,
  });
  const verifier = new TokenVerifier({
    keys: new RemoteJwks({ client: users, path: '/api/auth/jwks', logger }),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });

  const kafka = createKafka({
    brokers: [...config.KAFKA_BROKERS],
    clientId: SERVICE_NAME,
    logger,
    sasl: kafkaSaslOf(config),
  });
  const http = createHttpApp({
    service: SERVICE_NAME,
    logger,
    registry,
    faultInjection: config.FAULT_INJECTION,
    readiness: { postgres: () => pingPostgres(pool) },
    routes: (app) => {
      app.use(authenticate(verifier));
      app.use('/api/notifications', notificationRoutes({ store }));
    },
    // The console lists and replays this consumer's dead letters here (admin listener only).
    adminRoutes: deadLetterAdminRoutes({
      kafka,
      groupId: config.CONSUMER_GROUP,
      topics: CONSUMED_TOPICS,
      logger,
    }),
  });

  const mailer = createSmtpMailer({
    url: config.SMTP_URL,
    from: config.MAIL_FROM,
    timeoutMs: config.SMTP_TIMEOUT_MS,
  });
  const delivery: DeliveryDeps = {
    store,
    mailer,
    metrics: createNotificationMetrics(http.registry),
    maxSendAttempts: config.SEND_MAX_ATTEMPTS,
  };
  const lag = registerConsumerLagMetrics({
    kafka,
    registry,
    groupId: config.CONSUMER_GROUP,
    topics: CONSUMED_TOPICS,
    logger,
  });
  const consumers = startConsumers(
    kafka,
    [
      createEventConsumer({
        kafka,
        logger,
        delivery,
        groupId: config.CONSUMER_GROUP,
        maxAttempts: config.EVENT_MAX_ATTEMPTS,
        onDeadLetter: registerDeadLetterMetric(registry, config.CONSUMER_GROUP),
      }),
    ],
    logger,
  );
  const retryJob = startRetryPendingJob(
    delivery,
    logger.child({ component: 'retry-pending' }),
    config.SEND_RETRY_INTERVAL_MS,
  );

  // Run in reverse: the job and consumers stop before SMTP, the JWKS client and the pool close.
  const cleanups = [
    () => pool.end(),
    () => users.close(),
    () => lag.stop(),
    async () => mailer.close(),
    () => consumers.stop(),
    () => retryJob.stop(),
  ];
  try {
    const running = await startServer(http, {
      port: config.PORT,
      host: config.HOST,
      adminHost: config.ADMIN_HOST,
      adminPort: config.ADMIN_PORT,
      logger,
      graceMs: config.SHUTDOWN_GRACE_MS,
      cleanups,
    });
    return { ...running, consumersStarted: consumers.started };
  } catch (error) {
    // The port was taken, say: release what already runs, or it would outlive the failed start.
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    throw error;
  }
}
