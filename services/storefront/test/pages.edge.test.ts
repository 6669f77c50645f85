import { createLogger } from '@surge/logger';
import type { RunningServer } from '@surge/http-kit';
import { closedPort, testRedisUrl, uniqueSuffix } from '@surge/testing';
import { loadConfig } from '../src/config';
import { startStorefront } from '../src/service';

/**
 * The storefront's own edge, against real Redis and an API address where nothing
 * listens: the session cookie's attributes, CSRF refusals, headers, and the pages a
 * shopper gets when the API is away. (The whole shop, API included, is the browser
 * suite: infra/stack/test/storefront.browser.e2e.test.ts.)
 */
describe('the storefront edge', () => {
  let running: RunningServer;
  let url: string;

  beforeAll(async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'silent',
      REDIS_URL: testRedisUrl('storefront'),
      GATEWAY_URL: `http://127.0.0.1:${await closedPort()}`,
      API_TIMEOUT_MS: '1000',
      SESSION_KEY_PREFIX: `storefront:test-${uniqueSuffix()}:`,
      SHUTDOWN_GRACE_MS: '1000',
    });
    running = await startStorefront(config, createLogger({ service: 'storefront', level: 'silent' }));
    url = running.url;
  });

  afterAll(() => running.stop());

  it('hands out an HttpOnly, SameSite=Lax session cookie, not Secure over plain HTTP', async () => {
    const res = await fetch(`${url}/login`);
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((value) => value.startsWith('surge_sid='));
    expect(cookie).toMatch(/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
  });

  it('marks the cookie Secure when the gateway says the shopper came over TLS', async () => {
    const res = await fetch(`${url}/login`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.getSetCookie().join()).toMatch(/; Secure/);
  });

  it('refuses a form post without the CSRF token of its session, with a page', async () => {
    const res = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.test&password=whatever',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('This form has expired');
  });

  it('answers a catalog page with a 503 page, not a stack trace, when the API is away', async () => {
    const res = await fetch(url);
    expect(res.status).toBe(503);
    const page = await res.text();
    expect(page).toContain('Part of the shop is not answering');
    expect(page).not.toMatch(/at \w+ \(|ECONNREFUSED/);
  });

  it('forbids inline script and framing on every page', async () => {
    const res = await fetch(`${url}/no-such-page`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('sends shoppers who are not signed in to the login page, and back afterwards', async () => {
    const res = await fetch(`${url}/orders`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Forders');
  });

  it('escapes what a shopper typed when it is shown again', async () => {
    const res = await fetch(`${url}/login?next=${encodeURIComponent('/"><script>alert(1)</script>')}`);
    const page = await res.text();
    expect(page).not.toContain('<script>alert(1)</script>');
  });
});
