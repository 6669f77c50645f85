import { Router, type RequestHandler } from 'express';
import { ASSETS } from '../../views/assets';

/**
 * No inline script or style anywhere, so the policy can forbid both; forms post to this
 * site only; no framing (clickjacking).
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
  });
  next();
};

/** The stylesheet and scripts, from memory, cacheable for an hour. */
export function assetRoutes(): Router {
  const router = Router();
  router.get('/:name', (req, res, next) => {
    const asset = Object.hasOwn(ASSETS, req.params.name) ? ASSETS[req.params.name] : undefined;
    if (!asset) return next();
    res.type(asset.type).set('cache-control', 'public, max-age=3600').send(asset.body);
  });
  return router;
}
