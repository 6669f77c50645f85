import { loadConfig } from '../src/config';

const base = {
  DATABASE_URL: 'postgres://u:p@localhost/db',
  REDIS_URL: 'redis://localhost:6379',
  USER_SERVICE_URL: 'http://user:3001',
  PRODUCT_SERVICE_URL: 'http://product:3002',
  PAYMENT_SERVICE_URL: 'http://payment:3004',
};

describe('order service client secret (service tokens for product and payment)', () => {
  it('is the published development one outside production', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).SERVICE_CLIENT_SECRET).toBe(
      'surge-order-dev-client-secret',
    );
  });

  it.each([
    ['missing', undefined, /SERVICE_CLIENT_SECRET: required/],
    [
      'the development one',
      'surge-order-dev-client-secret',
      /SERVICE_CLIENT_SECRET: production refuses: it holds a development client secret/,
    ],
    ['a short one', 'sixteen-chars-ok', /shorter than 32 characters/],
  ])('production refuses it %s', (_label, value, message) => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', SERVICE_CLIENT_SECRET: value })).toThrow(
      message,
    );
  });

  it('production takes a random one', () => {
    const secret = 'Qm3vX8kR2tW9zL4nB7cY1dF6hJ0pS5gA';
    expect(
      loadConfig({ ...base, NODE_ENV: 'production', SERVICE_CLIENT_SECRET: secret }).SERVICE_CLIENT_SECRET,
    ).toBe(secret);
  });
});
