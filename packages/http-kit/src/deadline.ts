import type { RequestHandler, Response } from 'express';
import { AppError } from '@surge/errors';
import { DEADLINE_HEADER, parseDeadlineHeader, runWithDeadline } from '@surge/http-client';
import { sendProblem } from './problem-details';

/**
 * The caller's deadline, on the server side. A request that arrives with its budget
 * already spent is answered 504 at once and never reaches a handler: its caller has
 * given up, so any work done for it is wasted (and under overload, worse than wasted).
 * Otherwise the request runs with its deadline in context, where every ServiceClient
 * call it makes reads it (docs/resilience.md).
 *
 * `abortSignalOf(res)` aborts when the client closes the connection before the answer is
 * sent, or when the deadline passes, so a handler doing long work can stop as soon as
 * nobody is waiting. The signal is made when a handler first asks for it: an
 * AbortController per request (and the DOMException of its reason) showed in every
 * service's CPU profile, for a signal that most routes never read.
 */
export function deadline(options: { trustHeader: boolean } = { trustHeader: true }): RequestHandler {
  return (req, res, next) => {
    const budgetMs = options.trustHeader ? parseDeadlineHeader(req.headers[DEADLINE_HEADER]) : undefined;
    if (budgetMs === 0) {
      const message = "The caller's deadline had already passed; the request was not processed";
      sendProblem(res, new AppError('DEPENDENCY_TIMEOUT', message));
      return;
    }
    const state: RequestAbort = { controller: undefined, reason: undefined };
    res.locals[ABORT_STATE] = state;
    const timer =
      budgetMs === undefined
        ? undefined
        : setTimeout(() => abort(state, abortReason('TimeoutError', 'deadline passed')), budgetMs);
    timer?.unref();
    res.once('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) abort(state, abortReason('AbortError', 'client closed the connection'));
    });
    if (budgetMs === undefined) next();
    else runWithDeadline(budgetMs, next);
  };
}

/** The request's abort signal (set by `deadline()`, which every app created by createHttpApp runs). */
export function abortSignalOf(res: Response): AbortSignal {
  const state = res.locals[ABORT_STATE] as RequestAbort | undefined;
  if (!state) throw new Error('abortSignalOf needs the deadline middleware in front of the handler');
  if (!state.controller) {
    state.controller = new AbortController();
    if (state.reason) state.controller.abort(state.reason);
  }
  return state.controller.signal;
}

const ABORT_STATE = 'requestAbort';

/** Why the request was abandoned, once it was, and the controller of its signal, once asked for. */
interface RequestAbort {
  controller: AbortController | undefined;
  reason: DOMException | undefined;
}

function abort(state: RequestAbort, reason: DOMException): void {
  if (state.reason) return;
  state.reason = reason;
  state.controller?.abort(reason);
}

function abortReason(name: 'TimeoutError' | 'AbortError', message: string): DOMException {
  return new DOMException(`Request aborted: ${message}`, name);
}
