import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import type { Logger } from '@surge/logger';
import { ByteLimit } from './byte-limit';
import { CallGuard } from './call-guard';
import { clientResponseHeaders, type CleanHeaders } from './forwarded-headers';
import { bodyTooLarge, upstreamFailure } from './proxy-errors';
import type { UpstreamTarget } from './upstream-pools';

export interface ForwardOptions {
  method: string;
  /** Path and query exactly as the client sent them (already checked by the route table). */
  path: string;
  headers: CleanHeaders;
  hasBody: boolean;
  /** Budget from the end of the request body to the upstream's response headers. */
  timeoutMs: number;
  bodyLimitBytes: number;
  logger: Logger;
}

/**
 * Streams one request to the upstream and its answer back, buffering neither body.
 * Throws an AppError (413, 503, 504) when nothing has been sent to the client yet;
 * once the status line is out, a failure can only cut the response short.
 */
export async function forwardRequest(
  target: UpstreamTarget,
  req: IncomingMessage,
  res: ServerResponse,
  options: ForwardOptions,
): Promise<void> {
  const guard = new CallGuard(res, options.timeoutMs);
  const body = options.hasBody ? countedBody(req, options.bodyLimitBytes, guard) : null;
  if (!body) guard.startClock();
  try {
    let upstream: Dispatcher.ResponseData;
    try {
      upstream = await target.pool.request({
        method: options.method as Dispatcher.HttpMethod,
        path: options.path,
        headers: options.headers,
        body,
        signal: guard.signal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
    } catch (error) {
      // Whatever went wrong, the rest of the client's body no longer goes anywhere.
      if (body) req.unpipe(body);
      if (body?.exceeded) throw bodyTooLarge(options.bodyLimitBytes, error);
      if (guard.clientGone) return;
      throw upstreamFailure(target.name, error, guard.timedOut);
    } finally {
      guard.settle();
    }
    res.writeHead(upstream.statusCode, clientResponseHeaders(upstream.headers, target.origin));
    await pipeline(upstream.body, res).catch((error: unknown) => {
      // Headers are out: the only honest signal left is a cut connection.
      if (!guard.clientGone)
        options.logger.warn({ err: error, upstream: target.name }, 'upstream response interrupted');
    });
  } finally {
    guard.release();
  }
}

/** The client's body on its way up, counted against the limit; the clock starts when it is all sent. */
function countedBody(req: IncomingMessage, limitBytes: number, guard: CallGuard): ByteLimit {
  const body = new ByteLimit(limitBytes);
  // undici listens too, but maybe not yet when the limit trips; `exceeded` carries the news.
  body.on('error', () => undefined);
  body.once('finish', guard.startClock);
  req.pipe(body);
  return body;
}
