import { loadConfig } from '../src/config';

describe('payment service configuration', () => {
  it('defaults the provider timeout to 2 s and reconciles every 5 s', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@localhost/db' });
    expect(config).toMatchObject({
      PORT: 3004,
      PAYMENT_PROVIDER_URL: 'http://127.0.0.1:3010',
      PAYMENT_PROVIDER_TIMEOUT_MS: 2000,
      RECONCILER: true,
      RECONCILE_INTERVAL_MS: 5000,
    });
  });

  it('reports every invalid variable at once', () => {
    expect(() =>
      loadConfig({
        DATABASE_URL: 'mysql://x',
        PAYMENT_PROVIDER_URL: 'ftp://provider',
        PAYMENT_PROVIDER_TIMEOUT_MS: '0',
      }),
    ).toThrow(/DATABASE_URL[\s\S]*PAYMENT_PROVIDER_URL[\s\S]*PAYMENT_PROVIDER_TIMEOUT_MS/);
  });
});
