// Shared by every k6 scenario: configuration from the environment, the SLO table as
// thresholds, the shop's data (customers signed up in setup, catalog ids, search terms),
// a customer's session (login, token refresh) and the request groups of the mix.
import http from 'k6/http';
import { check, sleep } from 'k6';

export const GATEWAY = __ENV.LOAD_GATEWAY || 'http://127.0.0.1:8080';
const THINK_SCALE = Number(__ENV.LOAD_THINK_SCALE ?? 1);
const SLO = JSON.parse(open('./slo.json'));
export const FLOWS = Object.keys(SLO);

/** A number from the environment, or its default. */
export function num(name, fallback) {
  const raw = __ENV[name];
  return raw === undefined || raw === '' ? fallback : Number(raw);
}

/** k6 thresholds from the SLO table: p95, p99 and error rate per group. Breaking one fails the run. */
export function sloThresholds(flows = FLOWS) {
  const thresholds = {};
  for (const flow of flows) {
    const slo = SLO[flow];
    thresholds[`http_req_duration{flow:${flow}}`] = [`p(95)<${slo.p95Ms}`, `p(99)<${slo.p99Ms}`];
    thresholds[`http_req_failed{flow:${flow}}`] = [`rate<${slo.maxErrorRate}`];
  }
  return thresholds;
}

/** A customer pausing to read: uniform in [min, max] seconds, times LOAD_THINK_SCALE. */
export function think(min = 0.5, max = 2) {
  if (THINK_SCALE > 0) sleep((min + Math.random() * (max - min)) * THINK_SCALE);
}

export function pick(items) {
  return items[Math.floor(Math.random() * items.length)];
}

// One callback per set of expected statuses, made once: k6 advises against one per request.
const callbacks = {};
function expectedStatuses(expected) {
  const key = expected.join(',');
  if (!callbacks[key]) callbacks[key] = http.expectedStatuses(...expected);
  return callbacks[key];
}

/**
 * One request with a check on its answer. `expected` lists the statuses the contract
 * promises for it; any other answer counts as failed (http_req_failed) and fails the check.
 */
export function call(method, path, { body, token, flow, name, expected = [200], headers = {} }) {
  const res = http.request(method, `${GATEWAY}${path}`, body === undefined ? null : JSON.stringify(body), {
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    tags: { flow, name: name || path },
    responseCallback: expectedStatuses(expected),
  });
  check(
    res,
    { [`${name || path} answers ${expected.join('|')}`]: (r) => expected.includes(r.status) },
    { flow },
  );
  return res;
}

function body(res) {
  try {
    return res.json();
  } catch {
    return undefined;
  }
}

function uuid() {
  const hex = '0123456789abcdef';
  let out = '';
  for (let i = 0; i < 32; i += 1) out += hex[Math.floor(Math.random() * 16)];
  return `${out.slice(0, 8)}-${out.slice(8, 12)}-4${out.slice(13, 16)}-a${out.slice(17, 20)}-${out.slice(20)}`;
}

const ADDRESS = {
  name: 'Ada Shopper',
  line1: '1 Market St',
  city: 'Springfield',
  postalCode: '12345',
  country: 'US',
};

function login(email, password, flow = 'auth') {
  const res = call('POST', '/api/auth/login', { body: { email, password }, flow, name: 'login' });
  const tokens = body(res);
  if (res.status !== 200 || !tokens) return undefined;
  return { ...tokens, expiresAt: Date.now() + tokens.expiresIn * 1000 };
}

/** Setup's requests are tagged apart, so they count toward no group's SLO. */
const SETUP = 'setup';

/**
 * The shop a run needs, made through the API in setup(): customers who signed up (each
 * VU logs in as one of them, keeping its own token family), products of the run's own with
 * stock enough that checkouts measure the system rather than sell-outs, ids from the
 * seeded catalog for browsing, and search terms taken from real product names.
 */
export function prepareShop({ customers = num('LOAD_CUSTOMERS', 20), products = 5 } = {}) {
  const run = uuid().slice(0, 8);
  const admin = login(
    __ENV.ADMIN_EMAIL || 'admin@surge.local',
    __ENV.ADMIN_PASSWORD || 'surge-admin-dev',
    SETUP,
  );
  if (!admin) throw new Error('the development admin cannot log in (ADMIN_EMAIL / ADMIN_PASSWORD)');
  const stocked = [];
  for (let i = 0; i < products; i += 1) {
    const res = call('POST', '/api/products', {
      token: admin.accessToken,
      flow: SETUP,
      name: 'create product',
      expected: [201],
      body: {
        sku: `LOAD-${run}-${i}`,
        name: `Load item ${i}`,
        description: 'Stock for a load run',
        category: 'load',
        priceCents: 1500 + i * 100,
        stock: 1000000,
      },
    });
    if (res.status !== 201) throw new Error(`creating a product answered ${res.status}`);
    stocked.push(body(res).id);
  }
  const catalog = [];
  let cursor = null;
  for (let page = 0; page < 3; page += 1) {
    const res = call(
      'GET',
      `/api/products?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      {
        flow: SETUP,
        name: 'catalog page',
      },
    );
    const list = body(res);
    if (!list) break;
    catalog.push(...list.items.map((item) => ({ id: item.id, name: item.name, category: item.category })));
    cursor = list.nextCursor;
    if (!cursor) break;
  }
  const words = new Set();
  for (const item of catalog)
    for (const word of item.name.split(/\s+/)) if (word.length > 3) words.add(word.toLowerCase());
  const people = [];
  for (let i = 0; i < customers; i += 1) {
    const email = `load-${run}-${i}@example.test`;
    const password = 'a load test password';
    call('POST', '/api/auth/register', {
      body: { email, password, name: `Shopper ${i}` },
      flow: SETUP,
      name: 'register',
      expected: [201],
    });
    people.push({ email, password });
  }
  return {
    customers: people,
    stocked,
    browseIds: catalog.length > 0 ? catalog.map((item) => item.id) : stocked,
    categories: [...new Set(catalog.map((item) => item.category))],
    terms: words.size > 0 ? [...words].slice(0, 200) : ['classic'],
  };
}

// One session per VU: a VU is one customer at a time, logged in once and refreshing its
// own tokens, so two VUs never rotate the same refresh token (reuse would revoke it).
let session;

/** The VU's access token: logs in on first use, refreshes when it is about to expire. */
export function accessToken(shop) {
  if (session && session.expiresAt - Date.now() > 30_000) return session.accessToken;
  if (session) {
    const refreshed = refresh();
    if (refreshed) return refreshed;
  }
  const customer = shop.customers[(__VU - 1) % shop.customers.length];
  session = login(customer.email, customer.password);
  return session ? session.accessToken : undefined;
}

/** Rotates the VU's refresh token, as a client does when its access token runs out. */
export function refresh() {
  if (!session) return undefined;
  const res = call('POST', '/api/auth/refresh', {
    body: { refreshToken: session.refreshToken },
    flow: 'auth',
    name: 'refresh',
  });
  const tokens = body(res);
  session =
    res.status === 200 && tokens ? { ...tokens, expiresAt: Date.now() + tokens.expiresIn * 1000 } : undefined;
  return session ? session.accessToken : undefined;
}

/** A visitor browsing: a product list (sometimes a category), a product page or two. */
export function browse(shop) {
  const category =
    Math.random() < 0.3 && shop.categories.length > 0
      ? `&category=${encodeURIComponent(pick(shop.categories))}`
      : '';
  call('GET', `/api/products?limit=20${category}`, { flow: 'browse', name: 'list products' });
  think();
  call('GET', `/api/products/${pick(shop.browseIds)}`, { flow: 'browse', name: 'product page' });
  if (Math.random() < 0.3) {
    think();
    call('GET', '/api/categories', { flow: 'browse', name: 'categories' });
  }
}

/** A search by a word from the catalog, then a look at one hit. */
export function search(shop) {
  const res = call('GET', `/api/products?q=${encodeURIComponent(pick(shop.terms))}&limit=10`, {
    flow: 'search',
    name: 'search',
  });
  const hits = body(res);
  if (hits && hits.items && hits.items.length > 0) {
    think();
    call('GET', `/api/products/${pick(hits.items).id}`, { flow: 'search', name: 'product page' });
  }
}

/** A signed-in customer puts something in the cart and looks at it. */
export function cart(shop) {
  const token = accessToken(shop);
  if (!token) return;
  call('PUT', `/api/cart/items/${pick(shop.stocked)}`, {
    token,
    flow: 'cart',
    name: 'add to cart',
    body: { quantity: 1 + Math.floor(Math.random() * 2) },
  });
  think();
  call('GET', '/api/cart', { token, flow: 'cart', name: 'view cart' });
}

/**
 * A checkout of one item with an idempotency key: 201 PAID, or 202 PAYMENT_PENDING when
 * the payment outcome is not known yet (both are contract answers a customer can get).
 */
export function checkout(shop) {
  const token = accessToken(shop);
  if (!token) return;
  call('POST', '/api/orders', {
    token,
    flow: 'checkout',
    name: 'place order',
    expected: [201, 202],
    headers: { 'idempotency-key': uuid() },
    body: {
      items: [{ productId: pick(shop.stocked), quantity: 1 }],
      shippingAddress: ADDRESS,
      payment: { token: 'tok_visa' },
    },
  });
  think();
  call('GET', '/api/orders?limit=5', { token, flow: 'checkout', name: 'my orders' });
}

/** One visit in the Black Friday mix: 75% browsing, 10% search, 10% cart, 5% checkout; now and then a refresh. */
export function visit(shop) {
  const roll = Math.random();
  if (roll < 0.75) browse(shop);
  else if (roll < 0.85) search(shop);
  else if (roll < 0.95) cart(shop);
  else checkout(shop);
  if (session && Math.random() < 0.02) refresh();
}

/** Marks the end of setup on k6's log, so the outage runner knows when traffic has started. */
export function announceStart() {
  console.log('LOAD_TRAFFIC_STARTED');
}

export { ADDRESS, uuid, body };
