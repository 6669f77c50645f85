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
