import { createLogger } from '@surge/logger';
import { createPool, type Pool } from '@surge/postgres';
import {
  createTestKeyPair,
  provisionTestDatabase,
  serveJwks,
  signTestToken,
  testInfra,
  uniqueSuffix,
  type JwksServer,
  type TestKeyPair,
  serviceKafkaEnv,
  startTestService,
  type TestService,
} from '@surge/testing';
import type { NotificationConfig } from '../src/config';
import { CONSUMED_TOPICS } from '../src/entry-points/kafka/event-consumer';
import { notificationService, type NotificationService } from '../src/service';
import { kafka, startGroupsAtEnd } from './kafka';
import { mailInfra } from './mailpit';

export { events } from './events';
export { closeKafka, publish, publishRaw, toHeaders, watchTopic, type SeenMessage } from './kafka';
export { mailInfra, mailTo, settledMailTo, type MailpitMessage } from './mailpit';

const logger = createLogger({ service: 'notification-test', level: 'silent' });

export interface TestNotificationService extends TestService<NotificationConfig, NotificationService> {
  keys: TestKeyPair;
  /** A pool on the test database, for assertions on rows. */
  db: Pool;
  /** A real RS256 token for `userId`, verified by the service through its JWKS. */
  tokenFor(userId: string): string;
}

/**
 * The real service on port 0 against the test database, Kafka and Mailpit, in consumer
 * groups of this file's own. The groups start at the topics' current end: a new group
 * with `fromBeginning` would otherwise replay every event earlier runs left on the shared
 * topics, resending their mail and dead-lettering their poison messages again.
 */
export async function startTestNotificationService(
  overrides: Record<string, string> = {},
): Promise<TestNotificationService> {
  const keys = createTestKeyPair();
  const jwks: JwksServer = await serveJwks([keys]);
  const group = overrides.CONSUMER_GROUP ?? `notification-test-${uniqueSuffix()}`;
  await startGroupsAtEnd(kafka(), [{ groupId: group, topics: [...CONSUMED_TOPICS] }]);
  const service = await startTestService(
    notificationService,
    {
      DATABASE_URL: await provisionTestDatabase('surge_notification_test'),
      KAFKA_BROKERS: testInfra().kafkaBrokers,
      ...serviceKafkaEnv('notification'),
      SMTP_URL: mailInfra().smtpUrl,
      USER_SERVICE_URL: jwks.url,
      CONSUMER_GROUP: group,
      SEND_RETRY_INTERVAL_MS: '200',
      ...overrides,
    },
    { logger, alsoStop: [() => jwks.close()] },
  );
  await service.running.consumersStarted;
  const db = createPool({
    connectionString: service.config.DATABASE_URL,
    applicationName: 'notification-test',
  });
  return {
    ...service,
    keys,
    db,
    tokenFor: (userId) => signTestToken(keys, { userId }),
    async stop() {
      await service.stop();
      await db.end();
    },
  };
}

/** The notification rows an event produced (all statuses). */
export async function notificationsFor(db: Pool, eventId: string) {
  const { rows } = await db.query<{
    id: string;
    status: string;
    type: string;
    user_id: string;
    subject: string;
  }>('SELECT id, status, type, user_id, subject FROM notifications WHERE event_id = $1', [eventId]);
  return rows;
}
