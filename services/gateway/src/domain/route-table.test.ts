import {
  ROUTE_TABLE,
  isRoutablePath,
  matchRoute,
  matchStorefront,
  requiresToken,
  type RouteRule,
} from './route-table';

const rule = (path: string): RouteRule | undefined => matchRoute(path);

describe('route table matching', () => {
  it.each([
    ['/api/auth/login', 'user'],
    ['/api/auth/jwks', 'user'],
    ['/api/users/me', 'user'],
    ['/api/products', 'product'],
    ['/api/products/2f1c6a0e-2b51-4c9e-9d51-6f0f1f8a9b11', 'product'],
    ['/api/categories', 'product'],
    ['/api/cart', 'order'],
    ['/api/cart/items/abc', 'order'],
    ['/api/orders/abc/cancel', 'order'],
    ['/api/payments', 'payment'],
    ['/api/notifications', 'notification'],
  ])('routes %s to the %s service', (path, upstream) => {
    expect(rule(path)?.upstream).toBe(upstream);
  });

  it.each([
    '/internal/orders',
    '/internal',
    '/api',
    '/api/',
    '/',
    '/apix/products',
    '/api/cartography',
    '/API/products',
    '/health',
  ])('routes nothing for %s', (path) => {
    expect(rule(path)).toBeUndefined();
  });

  it('covers every upstream of the contract', () => {
    expect(new Set(ROUTE_TABLE.map((entry) => entry.upstream))).toEqual(
      new Set(['user', 'product', 'order', 'payment', 'notification']),
    );
  });
});

describe('path safety', () => {
  it.each([
    '/api/products/../internal/x',
    '/api/products/%2e%2e/internal',
    '/api/products/%2E./x',
    '/api/products/./x',
    '/api/products/a%2Fb',
    '/api/products/a%5cb',
    '/api/products/a\\b',
    '/api/products/%E0%A4%A',
    '//api/products',
    'http://evil.example/api/products',
  ])('refuses to route %s', (path) => {
    expect(isRoutablePath(path)).toBe(false);
    expect(matchRoute(path)).toBeUndefined();
  });

  it('accepts ordinary percent-encoding', () => {
    expect(isRoutablePath('/api/products/caf%C3%A9')).toBe(true);
  });
});

describe('access policy', () => {
  const products = matchRoute('/api/products') as RouteRule;
  const auth = matchRoute('/api/auth/login') as RouteRule;
  const orders = matchRoute('/api/orders') as RouteRule;

  it('lets anybody read the catalog', () => {
    expect(requiresToken(products, 'GET')).toBe(false);
    expect(requiresToken(products, 'HEAD')).toBe(false);
  });

  it('requires a token to change the catalog', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
      expect(requiresToken(products, method)).toBe(true);
  });

  it('keeps every auth endpoint public', () => {
    expect(requiresToken(auth, 'POST')).toBe(false);
  });

  it('requires a token for orders whatever the method', () => {
    expect(requiresToken(orders, 'GET')).toBe(true);
    expect(requiresToken(orders, 'POST')).toBe(true);
  });
});

describe('the storefront rule', () => {
  it("takes page paths, never the API, the docs or the gateway's own endpoints", () => {
    for (const page of ['/', '/products/abc', '/ops', '/cart'])
      expect(matchStorefront(page)?.upstream).toBe('storefront');
    for (const reserved of [
      '/api',
      '/api/nope',
      '/docs',
      '/health/ready',
      '/metrics',
      '/_control/faults',
      '/internal/auth/token',
    ])
      expect(matchStorefront(reserved)).toBeUndefined();
  });

  it('refuses the paths the API refuses (dot segments, encoded separators)', () => {
    expect(matchStorefront('/products/..%2f..%2fapi')).toBeUndefined();
    expect(matchStorefront('/a/../api/orders')).toBeUndefined();
  });
});
