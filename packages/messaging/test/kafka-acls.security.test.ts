import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createLogger } from '@surge/logger';
import { serviceKafkaEnv, testInfra } from '@surge/testing';
import { createKafka, ensureTopics, type KafkaCredentials } from '../src';

// Attacks on the broker from inside the network: what a compromised service, or any
// process that can reach Kafka, could try. The broker is the one the jest global setup
// provisions, with SASL/SCRAM and the ACLs of @surge/contracts KAFKA_ACCESS.
const brokers = testInfra().kafkaBrokers.split(',');
const logger = createLogger({ service: 'test', level: 'silent' });

function credentialsOf(service: string): KafkaCredentials {
  const env = serviceKafkaEnv(service);
  return { username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD };
}

/**
 * A client with a few quick retries: authorization errors are not retried at all, so a
 * refusal still surfaces at once, while a send that must succeed gets past a transient
 * error (a leader not yet elected for a new topic, a loaded broker) as a service would.
 */
function clientAs(credentials: KafkaCredentials | undefined): Kafka {
  return new Kafka({
    clientId: `acl-test-${randomUUID().slice(0, 8)}`,
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 5, initialRetryTime: 100 },
    ...(credentials ? { sasl: { mechanism: 'scram-sha-512' as const, ...credentials } } : {}),
  });
}

async function sendAs(credentials: KafkaCredentials, topic: string): Promise<void> {
  const producer = clientAs(credentials).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: 'acl-test', value: 'not an event' }] });
  } finally {
    await producer.disconnect();
  }
}

/**
 * Joins a group to read a topic; resolves with 'joined', or the error the consumer
 * crashed with (kafkajs reports a refused join or fetch through its CRASH event, not
 * through run()'s promise).
 */
async function consumeAs(credentials: KafkaCredentials, groupId: string, topic: string): Promise<unknown> {
  const consumer = clientAs(credentials).consumer({
    groupId,
    retry: { retries: 0, restartOnFailure: async () => false },
  });
  const crashed = new Promise<unknown>((resolve) => {
    consumer.on(consumer.events.CRASH, ({ payload }) => resolve(payload.error));
    consumer.on(consumer.events.GROUP_JOIN, () => resolve('joined'));
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ eachMessage: async () => undefined });
    return await crashed;
  } catch (error) {
    return error;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Joins as the rightful member. A broker just started may answer NOT_COORDINATOR while it
 * loads the group's offsets partition (transient: kafkajs would retry it, but consumeAs
 * allows no retries so that a refusal shows at once), so that answer is tried again.
 */
async function joinAs(credentials: KafkaCredentials, groupId: string, topic: string): Promise<unknown> {
  let outcome: unknown;
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    outcome = await consumeAs(credentials, groupId, topic);
    if (outcome === 'joined' || !/coordinator/i.test(String((outcome as Error)?.message))) return outcome;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return outcome;
}

/**
 * The broker's error code behind a refusal. A produce the broker refuses carries it
 * directly; a refused metadata request (a topic the principal may not even see) comes
 * wrapped in kafkajs' "not authorized to access topics" error, whose message names it.
 */
function refusalType(error: unknown): string | undefined {
  const { type, message } = (error ?? {}) as { type?: string; message?: string };
  if (type) return type;
  return /not authorized to access topics/i.test(message ?? '') ? 'TOPIC_AUTHORIZATION_FAILED' : undefined;
}

describe('Kafka with SASL/SCRAM and ACLs', () => {
  it('refuses a client that does not authenticate', async () => {
    // The SASL listener drops a client that skips the handshake: it never gets an answer.
    const anonymous = clientAs(undefined).admin();
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toMatchObject({
      name: expect.stringMatching(/^KafkaJS(Connection|NumberOfRetriesExceeded|Request)/),
    });
    await anonymous.disconnect();
    // The same request, authenticated, is answered: the broker was there all along.
    const authenticated = clientAs(credentialsOf('order')).admin();
    await authenticated.connect();
    try {
      expect(await authenticated.listTopics()).toEqual(['orders']);
    } finally {
      await authenticated.disconnect();
    }
  });

  it('refuses a known principal with a wrong password', async () => {
    const admin = clientAs({ username: 'order', password: 'guessed' }).admin();
    await expect(admin.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    await admin.disconnect();
  });

  it("lets a service write its own topic (the idempotent producer's rights included)", async () => {
    await expect(sendAs(credentialsOf('order'), 'orders')).resolves.toBeUndefined();
  });

  it("refuses a service that writes another service's topic", async () => {
    const refusal = await sendAs(credentialsOf('order'), 'payments').catch((error: unknown) => error);
    expect(refusalType(refusal)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('refuses a consumer that writes a topic it does not consume (it writes back only what it replays)', async () => {
    const refusal = await sendAs(credentialsOf('notification'), 'products').catch((error: unknown) => error);
    expect(refusalType(refusal)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('lets a consumer write the dead-letter topic of what it consumes', async () => {
    await expect(sendAs(credentialsOf('notification'), 'orders.dlq')).resolves.toBeUndefined();
  });

  it("refuses a service that joins another service's consumer group", async () => {
    const groupId = `notification-${randomUUID()}`;
    // The broker answers FindCoordinator with GROUP_AUTHORIZATION_FAILED, which kafkajs
    // reports as "failed to find group coordinator"; the same join as the group's owner
    // succeeds, so the refusal is the ACL and nothing else.
    const refusal = await consumeAs(credentialsOf('order'), groupId, 'orders');
    expect(refusal).toMatchObject({ name: 'KafkaJSGroupCoordinatorNotFound' });
    expect(await joinAs(credentialsOf('notification'), groupId, 'orders')).toBe('joined');
  });

  it('refuses a consumer that reads a topic it does not consume, even in its own group', async () => {
    const refusal = await consumeAs(
      credentialsOf('notification'),
      `notification-${randomUUID()}`,
      'products',
    );
    expect(refusalType(refusal)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('refuses a service that creates topics, and createKafka users still start (ensureTopics tolerates it)', async () => {
    const admin = clientAs(credentialsOf('product')).admin();
    await admin.connect();
    try {
      await expect(
        admin.createTopics({ topics: [{ topic: `stray-${randomUUID().slice(0, 8)}` }] }),
      ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'TOPIC_AUTHORIZATION_FAILED' })] });
    } finally {
      await admin.disconnect();
    }
    const kafka = createKafka({ brokers, clientId: 'acl-test', logger, sasl: credentialsOf('product') });
    await expect(ensureTopics(kafka, ['products'])).resolves.toBeUndefined();
  });
});
