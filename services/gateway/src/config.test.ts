import { loadConfig } from './config';

describe('gateway configuration', () => {
  it('reads a comma-separated list of instance URLs per upstream', () => {
    const config = loadConfig({ USER_SERVICE_URL: 'http://127.0.0.1:3001, http://127.0.0.1:3011' });

    expect(config.upstreams.user).toEqual(['http://127.0.0.1:3001', 'http://127.0.0.1:3011']);
  });

  it('defaults the user service and leaves empty upstreams unset', () => {
    const config = loadConfig({ PRODUCT_SERVICE_URL: '' });

    expect(config.upstreams.user).toEqual(['http://127.0.0.1:3001']);
    expect(config.upstreams.product).toBeUndefined();
  });

  it('refuses a list with an entry that is not an http URL', () => {
    expect(() => loadConfig({ ORDER_SERVICE_URL: 'http://order:3003,order:3013' })).toThrow(
      /ORDER_SERVICE_URL/,
    );
  });

  it('accepts an addresses file (file://) among the URLs, as the native stack gives it', () => {
    const config = loadConfig({ PRODUCT_SERVICE_URL: 'file:///srv/surge/.surge/run/upstreams/product' });

    expect(config.upstreams.product).toEqual(['file:///srv/surge/.surge/run/upstreams/product']);
  });

  it('refuses an entry of another protocol', () => {
    expect(() => loadConfig({ PRODUCT_SERVICE_URL: 'ftp://product:21' })).toThrow(/PRODUCT_SERVICE_URL/);
  });

  it('refuses a maximum ejection time below the base', () => {
    expect(() => loadConfig({ UPSTREAM_EJECTION_BASE_MS: '5000', UPSTREAM_EJECTION_MAX_MS: '1000' })).toThrow(
      /UPSTREAM_EJECTION_MAX_MS/,
    );
  });

  it('has the documented defaults for replicas and shedding', () => {
    const config = loadConfig({});

    expect(config.upstreamHealth).toMatchObject({
      intervalMs: 2_000,
      timeoutMs: 1_000,
      unhealthyThreshold: 3,
      healthyThreshold: 2,
    });
    expect(config.ejection).toEqual({
      consecutiveFailures: 3,
      baseMs: 10_000,
      maxMs: 120_000,
      maxEjectedPercent: 50,
    });
    expect(config.loadShedding).toEqual({
      maxInflight: 256,
      maxQueued: 64,
      maxWaitMs: 50,
      retryAfterSeconds: 1,
    });
    expect(config.upstreamResolveIntervalMs).toBe(5_000);
  });
});
