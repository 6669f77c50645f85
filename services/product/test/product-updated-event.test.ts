import { randomUUID } from 'node:crypto';
import { createLogger } from '@surge/logger';
import { createKafka, EventConsumer, type CloudEvent } from '@surge/messaging';
import { testInfra, uniqueSuffix, testKafkaCredentials } from '@surge/testing';
import { call, createProduct, startTestProductService, type TestProductService } from './support';

let service: TestProductService;
let consumer: EventConsumer | undefined;
beforeAll(async () => {
  service = await startTestProductService();
});
afterAll(async () => {
  await consumer?.stop();
  await service.stop();
});

describe('product.updated through the outbox and the real Kafka broker', () => {
  it('announces a new product and every stock change, keyed by the product id, with rising versions', async () => {
    const logger = createLogger({ service: 'product-test', level: 'silent' });
    const kafka = createKafka({
      brokers: testInfra().kafkaBrokers.split(','),
      sasl: testKafkaCredentials(),
      clientId: 'product-test',
      logger,
    });
    const sku = `EVT-${uniqueSuffix()}`;
    const events: CloudEvent[] = [];
    const received = new Promise<void>((resolve) => {
      consumer = new EventConsumer({
        kafka,
        logger,
        groupId: `product-test-${uniqueSuffix()}`,
        topics: ['products'],
        handle: async (event) => {
          if (event.type !== 'product.updated' || (event.data as { sku?: string }).sku !== sku) return;
          events.push(event);
          if (events.length === 2) resolve();
        },
      });
    });
    await consumer!.start();

    const product = await createProduct(service, { sku, stock: 8, priceCents: 1_500 });
    await call(service.url, 'POST', '/internal/reservations', {
      token: service.orderToken,
      body: { orderId: randomUUID(), items: [{ productId: product.id, quantity: 3 }] },
    });
    await received;

    const common = { productId: product.id, sku, name: product.name, priceCents: 1_500, currency: 'USD' };
    expect(events.map((event) => event.data)).toEqual([
      { ...common, stock: 8, version: 1 },
      { ...common, stock: 5, version: 2 },
    ]);
    expect(events[0]).toMatchObject({
      type: 'product.updated',
      source: '/surge/product',
      subject: product.id,
    });
  });
});
