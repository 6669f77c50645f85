import { z } from 'zod';
import { baseServiceEnv } from './env-schemas';
import { parseConfig } from './parse-config';

const schema = z.object({ ...baseServiceEnv }).loose();

describe('production and the development passwords the repository publishes', () => {
  it.each([
    ['DATABASE_URL', 'postgres://surge_user:surge_user-dev-password@db:5432/surge_user'],
    ['SURGE_PG_ADMIN_URL', 'postgres://postgres:postgres@db:5432/postgres'],
    ['REDIS_URL', 'redis://:postgres@redis:6379'],
    ['ADMIN_PASSWORD', 'surge-admin-dev'],
    ['POSTGRES_PASSWORD', 'postgres'],
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
        REDIS_URL: 'redis://redis:6379',
      }),
    ).not.toThrow();
  });
});
