import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { Logger } from '@surge/logger';
import { CallGuard } from './call-guard';
import { clientResponseHeaders, type CleanHeaders } from './forwarded-headers';
import { bodyTooLarge, isTimeout } from './proxy-errors';
import { countedBody, type OutgoingBody } from './request-body';
import type { UpstreamInstance } from './upstream-instance';

export interface AttemptOptions {
  method: string;
  /** Path and query exactly as the client sent them (already checked by the route table). */
  path: string;
  headers: CleanHeaders;
  /** Budget from the end of the request body to the upstream's response headers. */
  timeoutMs: number;
  bodyLimitBytes: number;
  logger: Logger;
}

/**
 * How one attempt ended. `failed` means nothing was sent to the client yet, so the
 * caller may still answer with a problem, or try another instance.
 */
export type AttemptOutcome =
  { kind: 'answered' } | { kind: 'client-gone' } | { kind: 'failed'; error: unknown; timedOut: boolean };

/**
 * Sends the request to one instance and streams its answer back. Throws only for a
 * body over the limit (413); once the status line is out, a failure can only cut the
 * response short.
 */
export async function attemptInstance(
  instance: UpstreamInstance,
  req: IncomingMessage,
  res: ServerResponse,
  body: OutgoingBody,
  options: AttemptOptions,
): Promise<AttemptOutcome> {
  const guard = new CallGuard(res, options.timeoutMs);
  const stream = body.kind === 'stream' ? countedBody(req, options.bodyLimitBytes, guard) : undefined;
  if (!stream) guard.startClock();
  instance.inflight += 1;
  try {
    let upstream: Dispatcher.ResponseData;
    try {
      upstream = await instance.pool.request({
        method: options.method as Dispatcher.HttpMethod,
        path: options.path,
        headers: options.headers,
        body: stream ?? (body.kind === 'buffered' ? body.bytes : null),
        signal: guard.signal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
    } catch (error) {
      // Whatever went wrong, the rest of the client's body no longer goes anywhere.
      if (stream) req.unpipe(stream);
      if (stream?.exceeded) throw bodyTooLarge(options.bodyLimitBytes, error);
      if (guard.clientGone) return { kind: 'client-gone' };
      return { kind: 'failed', error, timedOut: isTimeout(error, guard.timedOut) };
    } finally {
      guard.settle();
    }
    res.writeHead(upstream.statusCode, clientResponseHeaders(upstream.headers, instance.origin));
    const interrupted = await relayBody(upstream.body, res);
    // Headers are out: the only honest signal left is a cut connection.
    if (interrupted && !guard.clientGone)
      options.logger.warn({ err: interrupted, instance: instance.id }, 'upstream response interrupted');
    return { kind: 'answered' };
  } finally {
    instance.inflight -= 1;
    guard.release();
  }
}

const ignore = (): void => undefined;

/**
 * Streams the upstream's body to the client, as `stream.pipeline` would: an upstream
 * error cuts the client's connection, a client that hangs up stops the upstream's body.
 * Not `pipeline` itself: in Node 20 it makes an AbortController per call and aborts it
 * when done, which builds a DOMException for every proxied answer (2 % of the gateway's
 * CPU in its profile). Resolves when the answer is sent, or with what cut it short.
 */
function relayBody(body: Readable, res: ServerResponse): Promise<Error | undefined> {
  return new Promise((resolve) => {
    // Errors after the outcome is known (a destroyed body) must not go unhandled.
    body.on('error', ignore);
    const settle = (error?: Error) => {
      body.off('error', onBodyError);
      res.off('finish', onFinish);
      res.off('close', onClose);
      resolve(error);
    };
    const onBodyError = (error: Error) => {
      res.destroy(error);
      settle(error);
    };
    const onFinish = () => settle();
    const onClose = () => {
      if (res.writableFinished) return settle();
      body.destroy();
      settle(new Error('the client closed the connection before the answer was sent'));
    };
    body.once('error', onBodyError);
    res.once('finish', onFinish);
    res.once('close', onClose);
    body.pipe(res);
  });
}
