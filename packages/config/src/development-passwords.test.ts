import { z } from 'zod';
import { baseServiceEnv } from './env-schemas';
import { devKafkaPassword, kafkaSaslEnv } from './kafka-sasl-env';
import { parseConfig } from './parse-config';

const schema = z.object({ ...baseServiceEnv }).loose();

describe('production and the development passwords the repository publishes', () => {
  it.each([
    ['DATABASE_URL', 'postgres://surge_user:surge_user-dev-password@db:5432/surge_user'],
    ['SURGE_PG_ADMIN_URL', 'postgres://postgres:postgres@db:5432/postgres'],
    ['REDIS_URL', 'redis://:postgres@redis:6379'],
    ['REDIS_URL', 'redis://gateway:gateway-redis-dev-password@redis:6379'],
    ['REDIS_URL', 'redis://storefront:storefront-redis-dev-password@redis:6379'],
    ['ADMIN_PASSWORD', 'surge-admin-dev'],
    ['POSTGRES_PASSWORD', 'postgres'],
    ['KAFKA_SASL_PASSWORD', 'kafka-order-dev-password'],
    ['SERVICE_CLIENT_SECRET', 'surge-order-dev-client-secret'],
  ])('refuses %s holding one', (name, value) => {
    expect(() => parseConfig(schema, { NODE_ENV: 'production', [name]: value })).toThrow(
      new RegExp(`${name}: holds a development password`),
    );
  });

  it('accepts them outside production, and random ones in production', () => {
    const development = 'postgres://surge_user:surge_user-dev-password@db:5432/surge_user';
    expect(() => parseConfig(schema, { NODE_ENV: 'development', DATABASE_URL: development })).not.toThrow();
    expect(() =>
      parseConfig(schema, {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://surge_user:Zq8rT1vX0pL3mN5b@db:5432/surge_user',
        REDIS_URL: 'redis://order:Hk2vQ9sW4xY7zA1c@redis:6379',
      }),
    ).not.toThrow();
  });
});

describe('Kafka credentials', () => {
  const broker = { KAFKA_BROKERS: 'kafka:9092' };
  const schema = z.object({ ...baseServiceEnv, ...kafkaSaslEnv }).loose();

  it('are not asked of a service that does not use Kafka', () => {
    const withoutKafka = z.object({ ...baseServiceEnv }).loose();
    expect(() => parseConfig(withoutKafka, { NODE_ENV: 'production', ...broker })).not.toThrow();
  });

  it('are required in production wherever a broker is configured', () => {
    expect(() => parseConfig(schema, { NODE_ENV: 'production', ...broker })).toThrow(
      /KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD: required when NODE_ENV=production/,
    );
  });

  it('refuse the development password of any principal in production', () => {
    expect(() =>
      parseConfig(schema, {
        NODE_ENV: 'production',
        ...broker,
        KAFKA_SASL_USERNAME: 'notification',
        KAFKA_SASL_PASSWORD: devKafkaPassword('notification'),
      }),
    ).toThrow(/KAFKA_SASL_PASSWORD: holds a development password/);
  });

  it('must come as a pair in every mode', () => {
    expect(() =>
      parseConfig(schema, { NODE_ENV: 'development', ...broker, KAFKA_SASL_USERNAME: 'order' }),
    ).toThrow(/set both or neither/);
  });

  it('are optional outside production, and accepted in production when not published', () => {
    expect(() => parseConfig(schema, { NODE_ENV: 'development', ...broker })).not.toThrow();
    expect(() =>
      parseConfig(schema, {
        NODE_ENV: 'production',
        ...broker,
        KAFKA_SASL_USERNAME: 'order',
        KAFKA_SASL_PASSWORD: 'x7Rk2pQ9vL0sT4wZ',
      }),
    ).not.toThrow();
  });
});
