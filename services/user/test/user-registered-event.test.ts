import { createLogger } from '@surge/logger';
import { createKafka, EventConsumer, type CloudEvent } from '@surge/messaging';
import { testInfra, uniqueEmail, uniqueSuffix, testKafkaCredentials } from '@surge/testing';
import { call, startTestUserService, type TestUserService } from './support';

let service: TestUserService;
let consumer: EventConsumer | undefined;
beforeAll(async () => {
  service = await startTestUserService();
});
afterAll(async () => {
  await consumer?.stop();
  await service.stop();
});

describe('user.registered through the outbox and the real Kafka broker', () => {
  it('reaches a consumer as a CloudEvent keyed by the user id', async () => {
    const logger = createLogger({ service: 'user-test', level: 'silent' });
    const kafka = createKafka({
      brokers: testInfra().kafkaBrokers.split(','),
      sasl: testKafkaCredentials(),
      clientId: 'user-test',
      logger,
    });
    const email = uniqueEmail();
    const received = new Promise<CloudEvent>((resolve) => {
      consumer = new EventConsumer({
        kafka,
        logger,
        groupId: `user-test-${uniqueSuffix()}`,
        topics: ['users'],
        handle: async (event) => {
          if (event.type === 'user.registered' && event.data.email === email) resolve(event);
        },
      });
    });
    await consumer!.start();

    const res = await call(service.url, 'POST', '/api/auth/register', {
      body: { email, password: 'long enough pw', name: 'Kafka' },
    });
    const event = await received;

    expect(event).toMatchObject({
      type: 'user.registered',
      source: '/surge/user',
      subject: res.body.id,
      data: { userId: res.body.id, email, name: 'Kafka', version: 1 },
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
