import { upstreamBreakerOptions } from '@surge/config';
import { authenticate, type RunningServer } from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import {
  deadLetterAdminRoutes,
  registerConsumerLagMetrics,
  registerDeadLetterMetric,
} from '@surge/messaging';
import { startService, type ServiceDefinition } from '@surge/service-runtime';
import { createSmtpMailer } from './clients/smtp-mailer';
import { loadConfig, type NotificationConfig } from './config';
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
  return startService(SERVICE_NAME, logger, async (kit) => {
    const pool = await kit.postgres({ databaseUrl: config.DATABASE_URL, migrationsDir, messaging: true });
    const store = createNotificationRepository(pool);
    // For token checks only: mail delivery never calls the user service.
    const users = kit.userClient({
      url: config.USER_SERVICE_URL,
      timeoutMs: 2_000,
      breaker: upstreamBreakerOptions(config),
      retry: true,
    });
    const verify = kit.verifiers(users, config);
    const kafka = await kit.kafka(config);
    const groupId = config.CONSUMER_GROUP;
    const lag = registerConsumerLagMetrics({
      kafka,
      registry: kit.registry,
      groupId,
      topics: CONSUMED_TOPICS,
      logger,
    });
    kit.onStop('consumer lag metrics', () => lag.stop());
    const mailer = createSmtpMailer({
      url: config.SMTP_URL,
      from: config.MAIL_FROM,
      timeoutMs: config.SMTP_TIMEOUT_MS,
    });
    kit.onStop('smtp mailer', async () => mailer.close());
    const delivery: DeliveryDeps = {
      store,
      mailer,
      metrics: createNotificationMetrics(kit.registry),
      maxSendAttempts: config.SEND_MAX_ATTEMPTS,
    };
    // The consumers and the job stop before SMTP, the JWKS client and the pool close.
    const consumer = createEventConsumer({
      kafka,
      logger,
      delivery,
      groupId,
      maxAttempts: config.EVENT_MAX_ATTEMPTS,
      onDeadLetter: registerDeadLetterMetric(kit.registry, groupId),
    });
    const consumers = startConsumers(kafka, [consumer], logger);
    kit.onStop('event consumers', () => consumers.stop());
    const retryJob = startRetryPendingJob(
      delivery,
      logger.child({ component: 'retry-pending' }),
      config.SEND_RETRY_INTERVAL_MS,
    );
    kit.onStop('retry-pending job', () => retryJob.stop());

    const running = await kit.serve(config, {
      faultInjection: config.FAULT_INJECTION,
      routes: (app) => {
        app.use(authenticate(verify.user));
        app.use('/api/notifications', notificationRoutes({ store }));
      },
      // The console lists and replays this consumer's dead letters here (admin listener only).
      adminRoutes: deadLetterAdminRoutes({ kafka, groupId, topics: CONSUMED_TOPICS, logger }),
    });
    return { ...running, consumersStarted: consumers.started };
  });
}

/** What runMain and the test harness start. */
export const notificationService: ServiceDefinition<NotificationConfig, NotificationService> = {
  name: SERVICE_NAME,
  loadConfig,
  start: startNotificationService,
};
