import type { RequestHandler } from 'express';
import type { Logger } from '@surge/logger';
import { upstreamRequestHeaders } from '../../clients/forwarded-headers';
import { upstreamNotConfigured } from '../../clients/proxy-errors';
import { forwardRequest } from '../../clients/balanced-forward';
import type { UpstreamPools } from '../../clients/upstream-pools';
import { drainRequest } from './drain-request';
import { edgeTraceOf, matchedRoute, requestIdOf } from './request-locals';

export interface ProxyDeps {
  upstreams: UpstreamPools;
  timeoutMs: number;
  bodyLimitBytes: number;
  trustProxyHops: number;
  logger: Logger;
}

/** The last step of the chain: hands the request to an instance of its upstream and streams the answer back. */
export function proxyToUpstream(deps: ProxyDeps): RequestHandler {
  return async (req, res, next) => {
    const rule = matchedRoute(res);
    const group = deps.upstreams.get(rule.upstream);
    if (!group) return next(upstreamNotConfigured(rule.upstream));
    const headers = upstreamRequestHeaders(req.headers, {
      requestId: requestIdOf(res),
      remoteAddress: req.socket.remoteAddress ?? '',
      trustForwardedFor: deps.trustProxyHops > 0,
      protocol: req.protocol,
      host: req.headers.host,
      deadlineMs: deps.timeoutMs,
    });
    try {
      await forwardRequest(group, req, res, {
        method: req.method,
        path: req.url,
        headers,
        hasBody: res.locals.gatewayHasBody === true,
        timeoutMs: deps.timeoutMs,
        bodyLimitBytes: deps.bodyLimitBytes,
        logger: deps.logger,
        trace: edgeTraceOf(res),
      });
    } catch (error) {
      // The rest of the body may still be on its way (an oversized chunked upload, or
      // an upload the upstream gave up on): hear it out before answering.
      if (res.locals.gatewayHasBody === true) await drainRequest(req, res);
      next(error);
    }
  };
}
