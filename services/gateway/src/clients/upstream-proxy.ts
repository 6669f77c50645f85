import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Logger } from '@surge/logger';
import type { EdgeRequestTrace } from '@surge/telemetry';
import { CallGuard } from './call-guard';
import { clientResponseHeaders, type CleanHeaders } from './forwarded-headers';
import { bodyTooLarge, isTimeout } from './proxy-errors';
import { countedBody, type OutgoingBody } from './request-body';
import { relayAnswer } from './upstream-relay';
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
  /** The request's trace (proxy-listener.ts): each attempt carries its traceparent. */
  trace?: EdgeRequestTrace | undefined;
}

/**
 * How one attempt ended. `failed` means nothing was sent to the client yet, so the
 * caller may still answer with a problem, or try another instance.
 */
export type AttemptOutcome =
  { kind: 'answered' } | { kind: 'client-gone' } | { kind: 'failed'; error: unknown; timedOut: boolean };

/**
 * Sends the request to one instance and streams its answer back (upstream-relay.ts).
 * Throws only for a body over the limit (413); once the status line is out, a failure
 * can only cut the response short.
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
  // The upstream sees this attempt's traceparent: the sampled request's client span, or
  // the unsampled decision (flags 00) so the service starts no trace of its own. The
  // headers are this request's own copy (upstreamRequestHeaders), so a retry overwrites it.
  const call = options.trace?.startUpstreamCall({
    method: options.method,
    origin: instance.origin,
    path: options.path,
  });
  if (call) options.headers.traceparent = call.traceparent;
  let status: number | undefined;
  let failure: Error | undefined;
  try {
    const end = await relayAnswer(
      instance.pool,
      {
        method: options.method as Dispatcher.HttpMethod,
        path: options.path,
        headers: options.headers,
        body: stream ?? (body.kind === 'buffered' ? body.bytes : null),
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      },
      res,
      guard,
      (statusCode, headers) => {
        status = statusCode;
        res.writeHead(statusCode, clientResponseHeaders(headers, instance.origin));
      },
    );
    failure = end.answered ? end.interrupted : end.error;
    if (!end.answered) {
      // Whatever went wrong, the rest of the client's body no longer goes anywhere.
      if (stream) req.unpipe(stream);
      if (stream?.exceeded) throw bodyTooLarge(options.bodyLimitBytes, end.error);
      if (guard.clientGone) return { kind: 'client-gone' };
      return { kind: 'failed', error: end.error, timedOut: isTimeout(end.error, guard.timedOut) };
    }
    if (end.interrupted && !guard.clientGone)
      options.logger.warn({ err: end.interrupted, instance: instance.id }, 'upstream response interrupted');
    return { kind: 'answered' };
  } finally {
    instance.inflight -= 1;
    guard.release();
    call?.end(status, failure);
  }
}
