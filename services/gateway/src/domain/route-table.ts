/**
 * The gateway's routing as data: which public path prefix goes to which upstream,
 * and who may call it. Adding a service to the contract is one row here, one env
 * variable (`<NAME>_SERVICE_URL`) and its routes in packages/contracts/src/public/routes.ts.
 */
export const UPSTREAM_NAMES = ['user', 'product', 'order', 'payment', 'notification', 'storefront'] as const;
export type UpstreamName = (typeof UPSTREAM_NAMES)[number];

/**
 * - `public`: anybody; a token, when sent, must still be valid.
 * - `authenticated`: a valid token is required at the gateway.
 * - `public-read`: reads are public, writes need a valid token (role checks stay in the service).
 */
export type RouteAccess = 'public' | 'authenticated' | 'public-read';

export interface RouteRule {
  /** Matches the prefix itself and everything below it, on a segment boundary. */
  prefix: string;
  upstream: UpstreamName;
  access: RouteAccess;
}

export const ROUTE_TABLE: readonly RouteRule[] = [
  { prefix: '/api/auth', upstream: 'user', access: 'public' },
  { prefix: '/api/users', upstream: 'user', access: 'authenticated' },
  { prefix: '/api/products', upstream: 'product', access: 'public-read' },
  { prefix: '/api/categories', upstream: 'product', access: 'public-read' },
  { prefix: '/api/cart', upstream: 'order', access: 'authenticated' },
  { prefix: '/api/orders', upstream: 'order', access: 'authenticated' },
  { prefix: '/api/payments', upstream: 'payment', access: 'authenticated' },
  { prefix: '/api/notifications', upstream: 'notification', access: 'authenticated' },
];

/**
 * The storefront's pages (services/storefront) take every path the API, the docs and the
 * gateway's own endpoints do not: `/`, `/products/...`, `/ops`. Public at the gateway: the
 * storefront keeps its shoppers' tokens server-side and checks its own sessions, CSRF
 * tokens and the admin role of `/ops`.
 */
export const STOREFRONT_RULE: RouteRule = { prefix: '/', upstream: 'storefront', access: 'public' };

/**
 * Paths that stay the gateway's or the API's even when a storefront is configured.
 * `/internal` too: service-to-service routes (the service token endpoint among them) are
 * a 404 at the public port, never forwarded anywhere.
 */
const NOT_STOREFRONT = ['/api', '/docs', '/health', '/metrics', '/_control', '/internal'];

/**
 * The storefront rule for a path no API rule matched, or undefined (`/api/nope` stays a
 * 404 problem, never an HTML page). The same path checks as for the API apply.
 */
export function matchStorefront(path: string): RouteRule | undefined {
  if (!isRoutablePath(path)) return undefined;
  const reserved = NOT_STOREFRONT.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  return reserved ? undefined : STOREFRONT_RULE;
}

/** Methods the gateway forwards. TRACE and CONNECT never reach a service. */
const PROXIED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isProxiedMethod(method: string): boolean {
  return PROXIED_METHODS.has(method);
}

/**
 * The rule for a request path (no query string), or undefined: then the gateway
 * answers 404. Matching is case-sensitive and on whole segments, so `/api/cartography`
 * is not `/api/cart`, and nothing outside the table (`/internal/...`) is ever routed.
 */
export function matchRoute(path: string, table: readonly RouteRule[] = ROUTE_TABLE): RouteRule | undefined {
  if (!isRoutablePath(path)) return undefined;
  return table.find((rule) => path === rule.prefix || path.startsWith(`${rule.prefix}/`));
}

export function requiresToken(rule: RouteRule, method: string): boolean {
  switch (rule.access) {
    case 'public':
      return false;
    case 'authenticated':
      return true;
    case 'public-read':
      return !READ_METHODS.has(method);
  }
}

/**
 * Paths the gateway refuses to forward whatever the table says: dot segments (raw or
 * percent-encoded) and encoded separators could make an upstream resolve a different
 * path than the one the gateway checked (`/api/products/..%2f..%2finternal/...`), and
 * malformed percent-encoding would only make the upstream fail.
 */
export function isRoutablePath(path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//')) return false;
  if (/%2f|%5c|%00|\\/i.test(path)) return false;
  try {
    decodeURIComponent(path);
  } catch {
    return false;
  }
  return path.split('/').every((segment) => {
    const plain = segment.replace(/%2e/gi, '.');
    return plain !== '.' && plain !== '..';
  });
}
