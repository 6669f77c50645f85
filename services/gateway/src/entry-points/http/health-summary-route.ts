import type { RequestHandler } from 'express';
import type { UpstreamHealth } from '../../clients/upstream-health';

/**
 * `GET /health`: one line per upstream for operators and smoke tests. 200 when every
 * configured upstream is ready, 503 otherwise; never an address or an error text.
 */
export function healthSummaryRoute(health: UpstreamHealth): RequestHandler {
  return async (_req, res) => {
    const summary = await health.summary();
    res.status(summary.status === 'up' ? 200 : 503).json(summary);
  };
}
