import type { RequestHandler } from 'express';
import { Counter, Gauge, type Registry } from 'prom-client';
import { AppError } from '@surge/errors';
import type { ConcurrencyLimit } from '../../domain/concurrency-limit';

export interface LoadSheddingDeps {
  limit: ConcurrencyLimit;
  retryAfterSeconds: number;
  registry: Registry;
}

/**
 * Admits a proxied request only while this gateway has fewer than the limit in flight
 * (after a short, bounded wait at most), and answers 503 OVERLOADED with Retry-After
 * otherwise. Past that point extra requests would only queue in the upstream pools
 * until every one of them timed out; refusing the excess in a millisecond keeps the
 * admitted ones fast and tells clients when to come back.
 *
 * Mounted on the proxy chain only, after the route lookup and before token checks
 * and rate limits (the work it protects): health, metrics and docs are never shed, so
 * an overloaded gateway stays observable and its orchestrator does not kill it.
 */
export function loadShedding(deps: LoadSheddingDeps): RequestHandler {
  const shed = new Counter({
    name: 'gateway_shed_requests_total',
    help: 'Requests answered 503 OVERLOADED because the gateway was at its concurrency limit',
    registers: [deps.registry],
  });
  new Gauge({
    name: 'gateway_inflight_requests',
    help: 'Proxied requests this gateway is working on',
    registers: [deps.registry],
    collect() {
      this.set(deps.limit.inflight);
    },
  });
  new Gauge({
    name: 'gateway_queued_requests',
    help: 'Proxied requests waiting for a slot under the concurrency limit',
    registers: [deps.registry],
    collect() {
      this.set(deps.limit.queued);
    },
  });

  return async (_req, res, next) => {
    // The usual case, a free slot, synchronously: no promise, no abort controller.
    const free = deps.limit.tryAcquire();
    if (free) {
      res.once('close', free);
      return next();
    }
    const gone = new AbortController();
    const onClose = () => gone.abort();
    res.once('close', onClose);
    const release = await deps.limit.acquire(gone.signal);
    res.off('close', onClose);
    if (gone.signal.aborted) return release?.(); // the client left while it waited
    if (!release) {
      shed.inc();
      return next(
        new AppError('OVERLOADED', 'The gateway is overloaded; retry later', {
          retriable: true,
          retryAfterSeconds: deps.retryAfterSeconds,
        }),
      );
    }
    // 'close' fires once the answer is sent or the connection dropped, whichever is first.
    res.once('close', release);
    next();
  };
}
