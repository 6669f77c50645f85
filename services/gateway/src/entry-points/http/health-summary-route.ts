import type { RequestHandler } from 'express';
import { summariseUpstreams } from '../../clients/upstream-health';
import type { UpstreamPools } from '../../clients/upstream-pools';

/**
 * `GET /health`: per upstream, up or down and the state of each instance, for
 * operators and smoke tests. 200 when every configured upstream has a healthy
 * instance, 503 otherwise. Instances are named by id; never an address (unless asked
 * for) or an error text.
 */
export function healthSummaryRoute(upstreams: UpstreamPools, showAddresses: boolean): RequestHandler {
  return (_req, res) => {
    const summary = summariseUpstreams(upstreams, showAddresses);
    res.status(summary.status === 'up' ? 200 : 503).json(summary);
  };
}
