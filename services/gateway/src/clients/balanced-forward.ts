import type { IncomingMessage, ServerResponse } from 'node:http';
import { isReplayable } from '../domain/retry-policy';
import { isConnectionFailure } from '@surge/http-client';
import { upstreamFailure } from './proxy-errors';
import { bufferBody, type OutgoingBody } from './request-body';
import type { UpstreamGroup } from './upstream-group';
import type { UpstreamInstance } from './upstream-instance';
import { attemptInstance, type AttemptOptions, type AttemptOutcome } from './upstream-proxy';

export interface ForwardOptions extends AttemptOptions {
  hasBody: boolean;
}

/**
 * Sends a request to an instance of its upstream, and at most once more to another
 * one when the first failed to connect and a repeat is safe:
 * - safe: an idempotent method, or a POST with an Idempotency-Key (see isReplayable);
 * - failed to connect: refused, reset or closed before any response byte. A timeout
 *   is not retried: the instance may still be doing the work, and a second full
 *   budget would double the client's wait.
 * Only a replayable request with a body is buffered, and only when the upstream has
 * another instance to retry on; every other body streams.
 * Throws an AppError (413, 503, 504) when nothing has been sent to the client yet.
 */
export async function forwardRequest(
  group: UpstreamGroup,
  req: IncomingMessage,
  res: ServerResponse,
  options: ForwardOptions,
): Promise<void> {
  // With a single instance there is nobody to retry on, so nothing worth buffering for.
  const replayable = group.size > 1 && isReplayable(options.method, req.headers);
  let body: OutgoingBody = { kind: 'none' };
  if (options.hasBody && replayable) {
    const bytes = await bufferBody(req, options.bodyLimitBytes);
    if (!bytes) return; // the client went away mid-upload
    body = { kind: 'buffered', bytes };
  } else if (options.hasBody) {
    body = { kind: 'stream' };
  }

  const first = group.pick();
  if (!first) throw upstreamFailure(group.name, new Error(`no instance of ${group.name} is known`), false);
  let outcome = await attemptOn(group, first, req, res, body, options);
  if (outcome.kind === 'failed' && replayable && isConnectionFailure(outcome.error)) {
    const second = group.pick(first);
    if (second) {
      group.recordRetry();
      // Debug: a dead instance makes one per request until it is out; the counter shows the rate.
      options.logger.debug(
        { err: outcome.error, upstream: group.name, from: first.id, to: second.id },
        'retrying on another instance',
      );
      outcome = await attemptOn(group, second, req, res, body, options);
    }
  }
  if (outcome.kind === 'failed') throw upstreamFailure(group.name, outcome.error, outcome.timedOut);
}

/**
 * One attempt, and what it teaches about the instance. Connection failures and
 * timeouts count towards ejection; any answer, 5xx included, clears the streak: in
 * Surge a 5xx means a dependency behind the service failed (its database, another
 * service), which every instance shares, so ejecting would only concentrate load.
 */
async function attemptOn(
  group: UpstreamGroup,
  instance: UpstreamInstance,
  req: IncomingMessage,
  res: ServerResponse,
  body: OutgoingBody,
  options: AttemptOptions,
): Promise<AttemptOutcome> {
  const outcome = await attemptInstance(instance, req, res, body, options);
  if (outcome.kind === 'answered') group.recordSuccess(instance);
  if (outcome.kind === 'failed' && (outcome.timedOut || isConnectionFailure(outcome.error)))
    group.recordFailure(instance);
  return outcome;
}
