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
 * `res.locals.abortSignal` (see `abortSignalOf`) aborts when the client closes the
 * connection before the answer is sent, or when the deadline passes, so a handler
 * doing long work can stop as soon as nobody is waiting.
 */
export function deadline(options: { trustHeader: boolean } = { trustHeader: true }): RequestHandler {
  return (req, res, next) => {
    const budgetMs = options.trustHeader ? parseDeadlineHeader(req.headers[DEADLINE_HEADER]) : undefined;
    if (budgetMs === 0) {
      const message = "The caller's deadline had already passed; the request was not processed";
      sendProblem(res, new AppError('DEPENDENCY_TIMEOUT', message));
      return;
    }
    const controller = new AbortController();
    res.locals.abortSignal = controller.signal;
    const timer =
      budgetMs === undefined
        ? undefined
        : setTimeout(() => controller.abort(abortReason('TimeoutError', 'deadline passed')), budgetMs);
    timer?.unref();
    res.once('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) controller.abort(abortReason('AbortError', 'client closed the connection'));
    });
    if (budgetMs === undefined) next();
    else runWithDeadline(budgetMs, next);
  };
}

/** The request's abort signal (set by `deadline()`, which every app created by createHttpApp runs). */
export function abortSignalOf(res: Response): AbortSignal {
  const signal = res.locals.abortSignal as AbortSignal | undefined;
  if (!signal) throw new Error('abortSignalOf needs the deadline middleware in front of the handler');
  return signal;
}

function abortReason(name: 'TimeoutError' | 'AbortError', message: string): DOMException {
  return new DOMException(`Request aborted: ${message}`, name);
}
