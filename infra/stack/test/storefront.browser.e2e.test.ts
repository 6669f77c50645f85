import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { newEvent, toKafkaMessage } from '@surge/messaging';
import { eventually, kafkaSaslOptions, testInfra, uniqueEmail, uniqueSuffix } from '@surge/testing';
import { startStack, type StackProcess } from '../src/chaos/stack-process';
import { offsetPorts, TEST_ADMIN, testStackEnv } from './support/stack-env';
import { stopStack } from './support/stop-stack';
import { axeViolations, launchBrowser, screenshotForDocs } from './browser/browser-kit';

/**
 * The storefront and the operations console in a real browser (Debian's Chromium through
 * playwright-core), against the whole stack as `npm start` runs it, on ports of its own
 * and a state folder of its own, so it runs beside the journey test and a developer's
 * stack. Every page it visits is checked with axe-core.
 */
// Clear of the other stack tests' ports and of their admin ports (each + 1000).
const PORTS = offsetPorts({
  GATEWAY: 21080,
  USER: 25001,
  PRODUCT: 25002,
  ORDER: 25003,
  PAYMENT: 25004,
  NOTIFICATION: 25005,
  STOREFRONT: 25006,
  PAYMENT_PROVIDER: 25010,
});
const shop = `http://127.0.0.1:${PORTS.GATEWAY}`;
const password = 'a long enough password';

async function api<T>(
  method: string,
  urlPath: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${shop}${urlPath}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Every page the tests visit is checked; violations are gathered and asserted empty at the end of each test. */
const violations: string[] = [];
async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  violations.push(...(await axeViolations(page)));
}
async function checkA11y(page: Page): Promise<void> {
  violations.push(...(await axeViolations(page)));
}

async function signUp(page: Page, email: string, name: string): Promise<void> {
  await visit(page, `${shop}/signup`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await signedInOrExplained(page);
}

/**
 * Waits for the signed-in page; when the storefront answered with a problem instead
 * (a timeout under load, a limit), the failure says which, not only "Sign out not found".
 */
async function signedInOrExplained(page: Page): Promise<void> {
  const signedIn = page.getByRole('button', { name: /Sign out/ });
  const problem = page.getByRole('alert');
  await signedIn.or(problem).first().waitFor({ timeout: 60_000 });
  if (await signedIn.count()) return;
  throw new Error(`sign-up answered "${await problem.first().innerText()}" on ${page.url()}`);
}

async function addToCart(page: Page, productId: string, quantity: number): Promise<void> {
  await page.goto(`${shop}/products/${productId}`);
  await page.getByLabel('Quantity').fill(String(quantity));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('Added to your cart.').waitFor();
}

async function fillAddress(page: Page, card: 'tok_visa' | 'tok_decline' = 'tok_visa'): Promise<void> {
  await page.getByLabel('Full name').fill('Grace Hopper');
  await page.getByLabel('Street address').fill('1 Compiler Way');
  await page.getByLabel('City').fill('Arlington');
  await page.getByLabel('Postal code').fill('22201');
  await page.getByLabel('Country (two letters)').fill('US');
  await page.getByLabel('Card (simulator)').selectOption(card);
}

/** The services that reported spans of a trace to Jaeger (spans arrive in batches, so callers poll). */
async function traceServices(traceId: string): Promise<Set<string>> {
  const query = process.env.JAEGER_QUERY_URL;
  if (!query) throw new Error('JAEGER_QUERY_URL is not set: the test infrastructure runs no Jaeger');
  const res = await fetch(`${query}/api/traces/${traceId}`);
  if (!res.ok) return new Set();
  const { data } = (await res.json()) as {
    data?: Array<{ spans: Array<{ processID: string }>; processes: Record<string, { serviceName: string }> }>;
  };
  const trace = data?.[0];
  return new Set(trace ? trace.spans.map((span) => trace.processes[span.processID]?.serviceName ?? '?') : []);
}

/** Waits until a trace holds spans of every service named; says which were there when it gives up. */
async function traceWith(traceId: string, wanted: string[]): Promise<Set<string>> {
  let found = new Set<string>();
  try {
    return await eventually(
      async () => {
        found = await traceServices(traceId);
        return wanted.every((name) => found.has(name)) && found;
      },
      { timeoutMs: 60_000 },
    );
  } catch {
    throw new Error(
      `trace ${traceId} has spans of ${[...found].join(', ') || 'nothing'}; wanted ${wanted.join(', ')}`,
    );
  }
}

/** Mail Mailpit caught for an address. */
async function mailTo(address: string): Promise<Array<{ Subject: string }>> {
  const mailpit = process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025';
  const res = await fetch(`${mailpit}/api/v1/search?query=${encodeURIComponent(`to:"${address}"`)}`);
  return ((await res.json()) as { messages?: Array<{ Subject: string }> }).messages ?? [];
}

async function signInAsAdmin(page: Page): Promise<void> {
  await visit(page, `${shop}/login?next=%2Fops`);
  await page.getByLabel('Email').fill(TEST_ADMIN.email);
  await page.getByLabel('Password').fill(TEST_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Operations' }).waitFor();
}

async function orderRows(page: Page): Promise<number> {
  await page.goto(`${shop}/orders`);
  return page.locator('table.lines tbody tr').count();
}

describe('the storefront and the operations console in a real browser', () => {
  let stack: StackProcess | undefined;
  let browser: Browser | undefined;
  let stateDir: string;
  let lamp: { id: string; name: string; category: string };

  beforeAll(async () => {
    const env: Record<string, string> = {
      ...testStackEnv(PORTS, 'browser'),
      // A payment outage opens order's breaker after a few calls and lets it probe again
      // soon after, so the outage test sees both ends within seconds.
      UPSTREAM_BREAKER_MIN_CALLS: '3',
      UPSTREAM_BREAKER_RESET_MS: '2000',
    };
    stateDir = env.SURGE_STATE_DIR!;
    // Both at once; whichever succeeded is kept, so afterAll stops it even when the other failed.
    const [started, launched] = await Promise.allSettled([startStack(env), launchBrowser()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const result of [started, launched]) if (result.status === 'rejected') throw result.reason;

    const admin = await api<{ accessToken: string }>('POST', '/api/auth/login', {
      email: TEST_ADMIN.email,
      password: TEST_ADMIN.password,
    });
    const suffix = uniqueSuffix();
    lamp = { id: '', name: `Browser Lamp ${suffix}`, category: `browser-${suffix}` };
    const created = await api<{ id: string }>(
      'POST',
      '/api/products',
      {
        sku: `BROWSER-${suffix}`,
        name: lamp.name,
        description: 'A lamp for the browser test',
        category: lamp.category,
        priceCents: 2500,
        stock: 50,
      },
      admin.body.accessToken,
    );
    expect(created.status).toBe(201);
    lamp.id = created.body.id;
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await stopStack(stack);
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  }, 90_000);

  afterEach(() => {
    const found = violations.splice(0);
    expect(found).toEqual([]);
  });

  // axe needs JavaScript in the page; these pages are checked in the tests below.
  it('the API reference at /docs renders the generated document offline, under its CSP, with no violation', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    const refused: string[] = [];
    const elsewhere: string[] = [];
    // Chromium reports every CSP refusal on the console; any request off this origin is a CDN the page must not need.
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(shop) && !request.url().startsWith('data:'))
        elsewhere.push(request.url());
    });

    const answer = await page.goto(`${shop}/docs`);
    await page.getByRole('heading', { name: /Surge public API/ }).waitFor();
    await page.getByText('/api/orders/{id}/cancel').first().waitFor();

    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(answer?.headers()['content-security-policy']).not.toContain('unsafe-inline');
    expect(refused).toEqual([]);
    expect(elsewhere).toEqual([]);
    await context.close();
  });

  it('works without JavaScript: catalog, paging, category, search and product pages', async () => {
    const context = await browser!.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(shop);
    expect(await page.title()).toBe('All products · Surge');
    await page.getByRole('link', { name: 'Next page' }).click();
    expect(page.url()).toContain('cursor=');
    await page.goto(`${shop}/?category=${encodeURIComponent(lamp.category)}`);
    expect(await page.getByRole('link', { name: lamp.name }).count()).toBe(1);
    await page.getByLabel('Search products').fill(lamp.name);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: lamp.name }).click();
    await page.getByRole('heading', { name: lamp.name }).waitFor();
    await page.goto(`${shop}/no-such-page`);
    expect(await page.getByRole('heading', { name: 'Page not found' }).count()).toBe(1);
    await context.close();
  }, 60_000);

  it('a shopper signs up, searches, buys, sees it PAID, gets the email, cancels and is REFUNDED', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    const email = uniqueEmail('browser');
    await signUp(page, email, 'Browser Shopper');
    await visit(page, shop);
    await page.getByLabel('Search products').fill(lamp.name);
    await page.getByRole('button', { name: 'Search' }).click();
    await checkA11y(page);
    await page.getByRole('link', { name: lamp.name }).click();
    await checkA11y(page);
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByText('Added to your cart.').waitFor();
    await checkA11y(page);
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    await checkA11y(page);
    await fillAddress(page);
    const placed = page.waitForRequest(
      (request) => request.method() === 'POST' && new URL(request.url()).pathname === '/checkout',
    );
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByText('Thank you! Your order is paid.').waitFor();
    expect(await page.locator('#order-status').getAttribute('data-status')).toBe('PAID');
    await checkA11y(page);
    await screenshotForDocs(page, 'storefront-order');

    // The click started its trace in the browser (trace.js posted the form with a
    // traceparent of its own); the browser's span, the storefront and every service
    // behind, down to the receipt's consumer, are in that one trace.
    const checkoutTrace = (await (await placed).headerValue('traceparent'))?.split('-')[1];
    expect(checkoutTrace).toMatch(/^[0-9a-f]{32}$/);
    await traceWith(checkoutTrace!, ['browser', 'gateway', 'storefront', 'order', 'payment', 'notification']);

    // The receipt in the SMTP sink, found by this shopper's unique address.
    const mailpit = process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025';
    const receipt = await eventually(
      async () => {
        const res = await fetch(`${mailpit}/api/v1/search?query=${encodeURIComponent(`to:"${email}"`)}`);
        const found = (await res.json()) as { messages?: Array<{ Subject: string }> };
        return found.messages?.find(
          (message) => /order/i.test(message.Subject) && /paid|receipt|confirm/i.test(message.Subject),
        );
      },
      { timeoutMs: 60_000 },
    );
    expect(receipt.Subject).toBeTruthy();

    // Cancel the paid order: cancelled at once, and the page follows the refund by itself.
    await page.getByRole('button', { name: 'Cancel this order' }).click();
    await page.getByText('Order cancelled.', { exact: false }).waitFor();
    expect(await page.locator('#order-status').getAttribute('data-status')).toBe('CANCELLED');
    await page.locator('#payment-status', { hasText: 'Refunded' }).waitFor({ timeout: 60_000 });

    await visit(page, `${shop}/orders`);
    await visit(page, `${shop}/notifications`);
    expect(await page.locator('.inbox li').count()).toBeGreaterThanOrEqual(1);
    await visit(page, `${shop}/cart`);
    await context.close();
  }, 150_000);

  it('a double submit of the checkout form places one order; a declined card is a page, not an error', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    await signUp(page, uniqueEmail('browser-double'), 'Double Clicker');
    await addToCart(page, lamp.id, 1);
    await page.goto(`${shop}/checkout`);
    await fillAddress(page);
    const field = (name: string) => page.locator(`#checkout-form [name="${name}"]`).inputValue();
    const form: Record<string, string> = {};
    for (const name of [
      '_csrf',
      'idempotencyKey',
      'lines',
      'name',
      'line1',
      'city',
      'postalCode',
      'country',
      'card',
    ])
      form[name] = await field(name);
    // The same form sent twice at once (a double click without JavaScript), then once more (a resend).
    const post = () => page.request.post(`${shop}/checkout`, { form, maxRedirects: 0 });
    const answers = await Promise.all([post(), post()]);
    const again = await post();
    const sent = [...answers, again];
    const locations = await Promise.all(
      sent.map(
        async (answer) =>
          answer.headers().location ?? `${answer.status()} ${(await answer.text()).slice(0, 2000)}`,
      ),
    );
    expect(locations).toEqual([locations[0], locations[0], locations[0]]);
    expect(locations[0]).toMatch(/^\/orders\/[0-9a-f-]{36}$/);
    expect(await orderRows(page)).toBe(1);

    // A declined card: the checkout page again, with what happened and what to do.
    await addToCart(page, lamp.id, 1);
    await page.goto(`${shop}/checkout`);
    await fillAddress(page, 'tok_decline');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByText('Your card was declined', { exact: false }).waitFor();
    await checkA11y(page);
    await context.close();
  }, 90_000);

  it('during a payment outage the order page shows pending, then paid without a reload; the console shows the breaker open', async () => {
    const adminContext = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const console = await adminContext.newPage();
    await signInAsAdmin(console);
    await checkA11y(console);

    // The outage, switched from the console: every payment request fails.
    await console.getByLabel('Service', { exact: true }).selectOption('payment');
    await console.getByLabel('Fault', { exact: true }).selectOption('errors');
    await console.getByRole('button', { name: 'Switch' }).click();
    await console.getByText('payment: fail every request (500) on 1 instance.').waitFor();

    const context = await browser!.newContext();
    const page = await context.newPage();
    try {
      await signUp(page, uniqueEmail('browser-outage'), 'Patient Shopper');
      await addToCart(page, lamp.id, 1);
      await page.goto(`${shop}/checkout`);
      await fillAddress(page);
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.getByText('We have your order; payment will finish', { exact: false }).first().waitFor();
      expect(await page.locator('#order-status').getAttribute('data-status')).toBe('PAYMENT_PENDING');
      await checkA11y(page);

      // The page's status poll starts a trace in the browser; gateway, storefront and
      // order continue it: one click, one trace.
      const poll = await page.waitForRequest(/\/orders\/[0-9a-f-]+\/status$/);
      const traceId = (await poll.headerValue('traceparent'))?.split('-')[1];
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      const services = await eventually(
        async () => {
          const found = await traceServices(traceId!);
          return ['gateway', 'storefront', 'order'].every((name) => found.has(name)) && found;
        },
        { timeoutMs: 60_000 },
      );
      expect(services.has('storefront')).toBe(true);

      // The console sees order's breaker towards payment open.
      const breaker = console.locator('#breakers tr[data-caller="order"][data-upstream="payment"]');
      await eventually(
        async () => {
          await console.goto(`${shop}/ops`);
          return (await breaker.getAttribute('data-state')) === 'open';
        },
        { timeoutMs: 60_000 },
      );
      await checkA11y(console);
      await screenshotForDocs(console, 'ops-console');
    } finally {
      await console.goto(`${shop}/ops`);
      await console.getByLabel('Service', { exact: true }).selectOption('payment');
      await console.getByLabel('Fault', { exact: true }).selectOption('clear');
      await console.getByRole('button', { name: 'Switch' }).click();
      await console.getByText('payment: no faults on 1 instance.').waitFor();
    }

    // Payment is back: the same page, never reloaded, turns PAID.
    await page.locator('#order-status[data-status="PAID"]').waitFor({ timeout: 90_000 });
    await context.close();
    await adminContext.close();
  }, 180_000);

  it('an admin replays a dead letter from the console: its count falls and its email arrives', async () => {
    // A registration the stack's notification consumer (group `notification`) gave up on,
    // written to users.dlq as EventConsumer writes dead letters. (A consumer failing for
    // real, then replayed once fixed, is services/notification/test/dead-letters.admin-replay.test.ts.)
    const email = uniqueEmail('browser-dlq');
    const userId = randomUUID();
    const event = newEvent('user.registered', '/surge/user', userId, {
      userId,
      email,
      name: 'Dead Letter',
      version: 1,
    });
    const message = toKafkaMessage(event);
    const kafka = new Kafka({
      clientId: 'browser-test',
      brokers: testInfra().kafkaBrokers.split(','),
      // The broker refuses anonymous clients: write as the test principal.
      sasl: kafkaSaslOptions(),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: 'users.dlq',
        acks: -1,
        messages: [
          {
            ...message,
            headers: {
              ...message.headers,
              'x-dlq-error': 'Connection terminated unexpectedly (the database restarted)',
              'x-dlq-source': 'users/0/0',
              'x-dlq-group': 'notification',
            },
          },
        ],
      });
    } finally {
      await producer.disconnect();
    }

    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInAsAdmin(page);
    await page.getByRole('link', { name: 'Dead letters: list and replay' }).click();
    await page.getByRole('heading', { name: 'Dead letters' }).first().waitFor();
    const row = page.locator(`tr[data-event-id="${event.id}"]`);
    expect(await row.getAttribute('data-state')).toBe('waiting');
    expect(await row.innerText()).toContain('the database restarted');
    const waiting = page.locator('tr[data-dlq-topic="users"] [data-waiting]').first();
    const before = Number(await waiting.innerText());
    expect(before).toBeGreaterThanOrEqual(1);
    await checkA11y(page);
    await screenshotForDocs(page, 'ops-dead-letters');

    await row.getByRole('button', { name: /Replay/ }).click();
    await page.getByText('replayed 1 of users.dlq', { exact: false }).waitFor({ timeout: 60_000 });
    const replayedRow = page.locator(`tr[data-event-id="${event.id}"]`);
    expect(await replayedRow.getAttribute('data-state')).toBe('replayed');
    expect(await replayedRow.innerText()).toContain(`by ${TEST_ADMIN.email}`);
    expect(Number(await waiting.innerText())).toBeLessThan(before);
    await checkA11y(page);

    // The effect: the consumer applied the replayed registration and mailed its welcome.
    const welcome = await eventually(
      async () => (await mailTo(email)).find((m) => /welcome/i.test(m.Subject)),
      { timeoutMs: 60_000 },
    );
    expect(welcome.Subject).toBeTruthy();
    await context.close();
  }, 150_000);

  it('a shopper who is not an admin cannot open the console', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    await signUp(page, uniqueEmail('browser-nosy'), 'Nosy Shopper');
    const answer = await page.goto(`${shop}/ops`);
    expect(answer?.status()).toBe(403);
    await checkA11y(page);
    // A category of the seeded catalog: test runs add products of their own to the rest.
    await page.goto(`${shop}/?category=Electronics`);
    await screenshotForDocs(page, 'storefront-catalog');
    await context.close();
  }, 60_000);
});
