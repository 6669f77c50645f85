import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '@surge/logger';
import { ApiProblem, ApiUnreachable } from '../../clients/api-client';
import type { SessionStore } from '../../data-access/session-store';
import { errorPage, type ErrorView } from '../../views/error-page';
import { CsrfRejected, pageContext, sendPage, setSessionCookie, shopperOf } from './shopper';

/**
 * Every failure as a page the shopper can act on, with the right status, never a
 * stack trace: the one table from what went wrong to what the shopper reads.
 */
export function pageErrors(deps: {
  store: SessionStore;
  logger: Logger;
  ttlSeconds: number;
}): ErrorRequestHandler {
  return async (error: unknown, req, res, _next) => {
    const requestId = String(res.locals.requestId ?? '');
    if (error instanceof ApiProblem && error.status === 401 && res.locals.shopper) {
      // The API no longer takes the session's token (revoked, signed out elsewhere).
      await deps.store.destroy(shopperOf(res).sid).catch(() => undefined);
      setSessionCookie(req, res, deps.store.newId(), deps.ttlSeconds);
      return res.redirect(
        303,
        `/login?next=${encodeURIComponent(req.method === 'GET' ? req.originalUrl : '/')}`,
      );
    }
    const view = describe(error, requestId);
    if (view.status >= 500 && !(error instanceof ApiUnreachable) && !(error instanceof ApiProblem)) {
      deps.logger.error({ err: error }, 'page failed');
    } else {
      deps.logger.warn(
        { err: error instanceof Error ? error.message : String(error), status: view.status },
        'page answered with an error',
      );
    }
    if (error instanceof ApiProblem && error.retryAfterSeconds)
      res.set('retry-after', String(error.retryAfterSeconds));
    await sendErrorPage(deps.store, res, view);
  };
}

async function sendErrorPage(store: SessionStore, res: Response, view: ErrorView): Promise<void> {
  const ctx = res.locals.shopper ? await pageContext(store, res).catch(() => undefined) : undefined;
  sendPage(res, errorPage(ctx ?? { csrf: '', signedIn: undefined, flash: undefined }, view), view.status);
}

export function describe(error: unknown, requestId: string): ErrorView {
  const back = { href: '/', text: 'Back to the shop' };
  if (error instanceof CsrfRejected)
    return {
      status: 403,
      title: 'This form has expired',
      message: 'Go back, reload the page and send the form again.',
      action: back,
      requestId,
    };
  if (error instanceof ApiProblem) {
    if (error.status === 404) return notFoundView(requestId);
    if (error.status === 429)
      return {
        status: 429,
        title: 'Slow down a little',
        message: `Too many requests in a short time. Please wait ${error.retryAfterSeconds ?? 1} seconds and try again.`,
        action: back,
        requestId,
      };
    if (error.status === 403)
      return {
        status: 403,
        title: 'Not allowed',
        message: 'Your account cannot do this.',
        action: back,
        requestId,
      };
    if (error.status >= 500) return unavailableView(requestId);
    return {
      status: 400,
      title: 'That did not work',
      message: 'The shop could not do that. Please check and try again.',
      action: back,
      requestId,
    };
  }
  if (error instanceof ApiUnreachable) return unavailableView(requestId);
  if (isBodyError(error))
    return {
      status: 400,
      title: 'That did not work',
      message: 'The form could not be read. Please try again.',
      action: back,
      requestId,
    };
  return {
    status: 500,
    title: 'Something went wrong',
    message: 'We could not show this page. Please try again in a moment.',
    action: back,
    requestId,
  };
}

function unavailableView(requestId: string): ErrorView {
  return {
    status: 503,
    title: 'Part of the shop is not answering',
    message: 'We are on it. Your cart and orders are safe; please try again in a moment.',
    action: { href: '/', text: 'Back to the catalog' },
    requestId,
  };
}

function notFoundView(requestId: string): ErrorView {
  return {
    status: 404,
    title: 'Page not found',
    message: 'There is nothing here. It may have moved, or the link is wrong.',
    action: { href: '/', text: 'Back to the shop' },
    requestId,
  };
}

function isBodyError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'type' in error &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

/** Any path no route took. */
export function pageNotFound(store: SessionStore): RequestHandler {
  return async (_req, res) => sendErrorPage(store, res, notFoundView(String(res.locals.requestId ?? '')));
}
