import type { RequestHandler } from 'express';

/** Headers a browser client may send: what the public contract reads. */
const ALLOWED_HEADERS = 'authorization, content-type, idempotency-key, if-none-match, x-request-id';
/** Headers a browser client may read from an answer. */
const EXPOSED_HEADERS = 'x-request-id, retry-after, etag, location, x-cache';
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';

/**
 * An explicit CORS policy. By default none: no Access-Control-* header is ever sent,
 * so a page on another origin cannot read any answer (the API uses bearer tokens, not
 * cookies, so there is nothing to ride on anyway). With CORS_ALLOWED_ORIGINS (a
 * storefront's origin, say) exactly those origins get CORS answers; credentials are
 * never allowed, and `Vary: Origin` keeps caches from mixing answers of two origins.
 * A preflight from an allowed origin is answered here (204), before routing, rate limits
 * or tokens; one from any other origin is answered 204 without CORS headers, which the
 * browser reads as a refusal.
 */
export function corsPolicy(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (allowed.size > 0) res.vary('Origin');
    const isAllowed = origin !== undefined && allowed.has(origin);
    const isPreflight =
      req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (isAllowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    if (!isPreflight) return next();
    if (isAllowed) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.status(204).end();
  };
}
