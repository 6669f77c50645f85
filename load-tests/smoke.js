// One user, every public endpoint once, a check on every answer. Quick enough for npm test:
// the run fails when any check fails (the `checks` threshold).
import { group } from 'k6';
import { ADDRESS, body, call, GATEWAY, prepareShop, uuid } from './lib/shop.js';

export const options = {
  vus: 1,
  iterations: 1,
  thresholds: { checks: ['rate==1'] },
};

export function setup() {
  return prepareShop({ customers: 1, products: 1 });
}

export default function (shop) {
  const { email, password } = shop.customers[0];
  const productId = shop.stocked[0];
  let tokens;
  group('operations', () => {
    call('GET', '/health', { flow: 'browse', name: 'gateway health' });
    call('GET', '/health/live', { flow: 'browse', name: 'gateway live' });
    call('GET', '/health/ready', { flow: 'browse', name: 'gateway ready' });
    call('GET', '/docs', { flow: 'browse', name: 'openapi document' });
  });
  group('auth', () => {
    call('GET', '/api/auth/jwks', { flow: 'auth', name: 'jwks' });
    tokens = body(
      call('POST', '/api/auth/login', { body: { email, password }, flow: 'auth', name: 'login' }),
    );
    tokens = body(
      call('POST', '/api/auth/refresh', {
        body: { refreshToken: tokens.refreshToken },
        flow: 'auth',
        name: 'refresh',
      }),
    );
    call('GET', '/api/users/me', { token: tokens.accessToken, flow: 'auth', name: 'profile' });
    call('PATCH', '/api/users/me', {
      token: tokens.accessToken,
      flow: 'auth',
      name: 'edit profile',
      body: { name: 'Smoke Shopper' },
    });
  });
  const token = tokens.accessToken;
  group('catalog', () => {
    call('GET', '/api/products?limit=5', { flow: 'browse', name: 'list products' });
    call('GET', `/api/products/${productId}`, { flow: 'browse', name: 'product page' });
    call('GET', `/api/products?q=${encodeURIComponent(shop.terms[0])}&limit=5`, {
      flow: 'search',
      name: 'search',
    });
    call('GET', '/api/categories', { flow: 'browse', name: 'categories' });
    call('GET', `/api/products/${uuid()}`, { flow: 'browse', name: 'unknown product', expected: [404] });
  });
  let orderId;
  group('cart and checkout', () => {
    call('PUT', `/api/cart/items/${productId}`, {
      token,
      flow: 'cart',
      name: 'add to cart',
      body: { quantity: 2 },
    });
    call('DELETE', `/api/cart/items/${productId}`, { token, flow: 'cart', name: 'remove from cart' });
    call('DELETE', '/api/cart', { token, flow: 'cart', name: 'empty cart', expected: [204] });
    call('PUT', `/api/cart/items/${productId}`, {
      token,
      flow: 'cart',
      name: 'add to cart',
      body: { quantity: 1 },
    });
    call('GET', '/api/cart', { token, flow: 'cart', name: 'view cart' });
    const order = call('POST', '/api/orders', {
      token,
      flow: 'checkout',
      name: 'place order',
      expected: [201, 202],
      headers: { 'idempotency-key': uuid() },
      body: { shippingAddress: ADDRESS, payment: { token: 'tok_visa' } },
    });
    orderId = body(order).id;
    call('GET', '/api/orders', { token, flow: 'checkout', name: 'my orders' });
    call('GET', `/api/orders/${orderId}`, { token, flow: 'checkout', name: 'order' });
    call('GET', `/api/payments?orderId=${orderId}`, { token, flow: 'checkout', name: 'payments' });
    call('POST', `/api/orders/${orderId}/cancel`, { token, flow: 'checkout', name: 'cancel order' });
    call('GET', '/api/notifications', { token, flow: 'checkout', name: 'notifications' });
  });
  group('sign out', () => {
    call('POST', '/api/auth/logout', {
      body: { refreshToken: tokens.refreshToken },
      flow: 'auth',
      name: 'logout',
      expected: [204],
    });
  });
  // The address each request went to, for a reader of k6's log.
  console.log(`smoke run against ${GATEWAY} done`);
}
