import { createHash } from 'node:crypto';
import { loadConfig } from '../src/config';

const base = { DATABASE_URL: 'postgres://u:p@localhost/db', REDIS_URL: 'redis://localhost:6379' };

describe('user service configuration', () => {
  it('seeds the documented admin in development', () => {
    const config = loadConfig({ ...base, NODE_ENV: 'development' });
    expect(config.ADMIN_EMAIL).toBe('admin@surge.local');
  });

  it('refuses production without signing keys or with the default admin password, listing every problem', () => {
    expect(() =>
      loadConfig({
        ...base,
        NODE_ENV: 'production',
        ADMIN_EMAIL: 'a@b.co',
        ADMIN_PASSWORD: 'surge-admin-dev',
      }),
    ).toThrow(/JWT_PRIVATE_KEY[\s\S]*ADMIN_PASSWORD/);
  });

  it('reports every invalid variable at once', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', REDIS_URL: 'nope', PORT: 'abc' })).toThrow(
      /DATABASE_URL[\s\S]*REDIS_URL[\s\S]*PORT|PORT[\s\S]*DATABASE_URL/,
    );
  });
});

describe('service client credentials', () => {
  const production = {
    ...base,
    NODE_ENV: 'production',
    JWT_PRIVATE_KEY_FILE: '/run/secrets/key.pem',
    ADMIN_EMAIL: 'ops@example.com',
    ADMIN_PASSWORD: 'a-long-random-admin-password',
  };
  const someDigest = createHash('sha256').update('Qm3vX8kR2tW9zL4nB7cY1dF6hJ0pS5gA').digest('hex');

  it('derives the development secrets outside production, stored as digests', () => {
    const config = loadConfig({ ...base, NODE_ENV: 'development' });
    expect(Object.keys(config.SERVICE_CLIENT_SECRETS)).toEqual(['order']);
    expect(config.SERVICE_CLIENT_SECRETS.order?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(config)).not.toContain('surge-order-dev-client-secret');
  });

  it.each([
    ['missing', undefined, /SERVICE_CLIENT_SECRETS: production needs the service clients/],
    ['the development secret', 'order=surge-order-dev-client-secret', /development client secret/],
    ['a short secret', 'order=only-twenty-characters', /shorter than 32/],
    ['an entry that is not name=secret', 'order', /not name=secret/],
  ])('production refuses %s', (_label, value, message) => {
    expect(() => loadConfig({ ...production, SERVICE_CLIENT_SECRETS: value })).toThrow(message);
  });

  it('production refuses the digest of a development secret, and takes a real one', () => {
    const devDigest = createHash('sha256').update('surge-order-dev-client-secret').digest('hex');
    expect(() => loadConfig({ ...production, SERVICE_CLIENT_SECRETS: `order=sha256:${devDigest}` })).toThrow(
      /development client secret/,
    );
    const config = loadConfig({ ...production, SERVICE_CLIENT_SECRETS: `order=sha256:${someDigest}` });
    expect(config.SERVICE_CLIENT_SECRETS.order?.digest).toBe(someDigest);
  });
});
