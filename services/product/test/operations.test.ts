import { loadConfig } from '../src/config';
import { call, startTestProductService, type TestProductService } from './support';

let service: TestProductService;
beforeAll(async () => {
  service = await startTestProductService();
});
afterAll(() => service.stop());

describe('operations endpoints', () => {
  it('reports live, and ready on Postgres alone (Redis is a cache here)', async () => {
    expect((await call(service.url, 'GET', '/health/live')).status).toBe(200);
    const ready = await call(service.adminUrl, 'GET', '/health/ready');
    expect(ready.body).toEqual({ status: 'up', shuttingDown: false, checks: { postgres: 'up' } });
  });

  it('exposes request and cache metrics', async () => {
    await call(service.url, 'GET', '/api/categories');
    const metrics = await fetch(`${service.adminUrl}/metrics`).then((res) => res.text());
    expect(metrics).toMatch(/http_requests_total\{.*route="\/api\/categories\/".*\} \d+/);
    expect(metrics).toMatch(/cache_requests_total\{cache="categories",result="(hit|miss)".*\} \d+/);
    expect(metrics).toMatch(/cache_loads_total/);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await call(service.url, 'GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('product service configuration', () => {
  const base = { DATABASE_URL: 'postgres://u:p@localhost/db', REDIS_URL: 'redis://localhost:6379' };

  it('has documented defaults', () => {
    expect(loadConfig(base)).toMatchObject({
      PORT: 3002,
      USER_SERVICE_URL: 'http://127.0.0.1:3001',
      SEED_CATALOG: false,
      SEED_CATALOG_SIZE: 1_200,
      REDIS_KEY_PREFIX: 'product:',
    });
  });

  it('treats empty optional variables as unset', () => {
    const config = loadConfig({ ...base, KAFKA_BROKERS: '', USER_SERVICE_URL: '' });
    expect(config.KAFKA_BROKERS).toBeUndefined();
    expect(config.USER_SERVICE_URL).toBe('http://127.0.0.1:3001');
  });

  it('reports every invalid variable at once', () => {
    expect(() =>
      loadConfig({
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'nope',
        SEED_CATALOG_SIZE: '10',
        USER_SERVICE_URL: 'ftp://x',
      }),
    ).toThrow(/DATABASE_URL[\s\S]*REDIS_URL[\s\S]*USER_SERVICE_URL[\s\S]*SEED_CATALOG_SIZE/);
  });
});
