import { randomUUID } from 'node:crypto';
import { createLogger } from '@surge/logger';
import { testInfra, testKafkaCredentials } from '@surge/testing';
import { createKafka, newEvent, type AnyCloudEvent } from '../src';

/** What the messaging tests log through: nothing. */
export const silentLogger = createLogger({ service: 'test', level: 'silent' });

/** A Kafka client of the test run's broker, as the test principal. */
export function testKafka(clientId: string): ReturnType<typeof createKafka> {
  return createKafka({
    brokers: testInfra().kafkaBrokers.split(','),
    clientId,
    logger: silentLogger,
    sasl: testKafkaCredentials(),
  });
}

/** A `product.updated` event of a fresh product: what the consumer tests publish and count. */
export function productProbe(source: string, sku: string): AnyCloudEvent {
  const productId = randomUUID();
  const data = { productId, sku, name: 'Probe', priceCents: 100, currency: 'USD', stock: 1, version: 1 };
  return newEvent('product.updated', source, productId, data) as AnyCloudEvent;
}
