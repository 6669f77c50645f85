import { createLogger } from '@surge/logger';
import { createKafka, EventConsumer, type CloudEvent } from '@surge/messaging';
import { testInfra, uniqueSuffix, testKafkaCredentials } from '@surge/testing';
import { charge, newChargeRequest, startPaymentTestEnv, type PaymentTestEnv } from './support';

let env: PaymentTestEnv;
let consumer: EventConsumer | undefined;
beforeAll(async () => {
  env = await startPaymentTestEnv();
});
afterAll(async () => {
  await consumer?.stop();
  await env.stop();
});

describe('payment.captured through the outbox and the real Kafka broker', () => {
  it('reaches a consumer as a CloudEvent keyed by the payment id', async () => {
    const logger = createLogger({ service: 'payment-test', level: 'silent' });
    const kafka = createKafka({
      brokers: testInfra().kafkaBrokers.split(','),
      sasl: testKafkaCredentials(),
      clientId: 'payment-test',
      logger,
    });
    const request = newChargeRequest();
    const received = new Promise<CloudEvent>((resolve) => {
      consumer = new EventConsumer({
        kafka,
        logger,
        groupId: `payment-test-${uniqueSuffix()}`,
        topics: ['payments'],
        handle: async (event) => {
          if (event.type === 'payment.captured' && event.data.orderId === request.orderId) resolve(event);
        },
      });
    });
    await consumer!.start();

    const res = await charge(env, request);
    // Anything but a capture publishes no payment.captured: fail here, not at the timeout.
    expect(res.status).toBe(201);
    const event = await received;

    expect(event).toMatchObject({
      type: 'payment.captured',
      source: '/surge/payment',
      subject: res.body.id,
      data: {
        paymentId: res.body.id,
        orderId: request.orderId,
        userId: request.userId,
        amountCents: 1999,
        currency: 'USD',
        version: 1,
      },
    });
  });
});
