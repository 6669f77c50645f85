import type { Request } from 'express';

/**
 * The client's address as the gateway saw it: the last entry of X-Forwarded-For, which
 * the gateway always writes (a client's own entries come before it, and are only
 * there when the gateway trusts proxies in front of it). Without the header (a caller
 * inside the network) the socket's peer.
 */
export function clientAddress(req: Request): string {
  const forwarded = req.headers['x-forwarded-for'];
  const joined = Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '');
  const last = joined.split(',').pop()?.trim();
  return last || req.socket.remoteAddress || '';
}
