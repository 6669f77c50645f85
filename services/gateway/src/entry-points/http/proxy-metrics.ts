import type { RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';
import { matchedRoute } from './request-locals';

/**
 * Per-route and per-upstream counts and latency of everything the proxy chain
 * answers (401s, 429s and 413s included). The kit's `http_requests_total` labels
 * requests by express route, and the proxy has none, so it would call all of
 * them `unmatched`.
 */
export function proxyMetrics(registry: Registry): RequestHandler {
  const requests = new Counter({
    name: 'gateway_proxied_requests_total',
    help: 'Requests answered by the proxy chain, by upstream, route prefix and status',
    labelNames: ['upstream', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gateway_proxied_request_duration_seconds',
    help: 'Time to answer requests of the proxy chain, by upstream and route prefix',
    labelNames: ['upstream', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (_req, res, next) => {
    const rule = matchedRoute(res);
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      requests.inc({ upstream: rule.upstream, route: rule.prefix, status: String(res.statusCode) });
      duration.observe(
        { upstream: rule.upstream, route: rule.prefix },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  };
}
