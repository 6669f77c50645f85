import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '@surge/logger';
import type { BrowserSpanExporter } from '../../clients/browser-span-exporter';
import type { ClickStore } from '../../data-access/click-store';

/** Sent by /assets/trace.js with a form it posts itself (with a traceparent of its own). */
export const FETCHED_FORM_HEADER = 'x-surge-navigation';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * A form the page's script posted with fetch (so the browser could start the trace):
 * where the form would have been redirected (303) it gets `{"location": ...}` and the
 * script navigates there; any other answer (an error page) is the same as without the
 * script. The trace id is remembered, so the browser's span of this click is accepted
 * (click-store.ts), but only when the gateway decided to record the trace.
 */
export function fetchedForms(clicks: ClickStore): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'POST' || req.get(FETCHED_FORM_HEADER) !== 'fetch') return next();
    answerRedirectsAsJson(res);
    const forwarded = TRACEPARENT.exec(req.get('traceparent') ?? '');
    if (forwarded && (Number.parseInt(forwarded[3]!, 16) & 1) === 1) {
      await clicks.remember(forwarded[1]!).catch(() => undefined);
    }
    next();
  };
}

/** Every route redirects with res.redirect; for a fetched form that becomes a JSON answer. */
function answerRedirectsAsJson(res: Response): void {
  res.redirect = ((statusOrUrl: number | string, maybeUrl?: string | number) => {
    const location = typeof statusOrUrl === 'string' ? statusOrUrl : String(maybeUrl);
    res.status(200).set('cache-control', 'no-store').json({ location });
  }) as Response['redirect'];
}

const spanForm = z.object({
  traceparent: z.string().regex(TRACEPARENT),
  name: z.string().min(1).max(120),
  path: z.string().startsWith('/').max(300),
  start: z.coerce.number().int().positive(),
  end: z.coerce.number().int().positive(),
  status: z.coerce.number().int().min(0).max(599),
});

/** How far the browser's clock may be off, and the longest click worth a span. */
const MAX_SKEW_MS = 10 * 60_000;
const MAX_DURATION_MS = 5 * 60_000;

/**
 * `POST /telemetry/browser-span` (form-encoded, like every post to the site): the
 * browser's span of a click it traced. Always 204: the page learns nothing from it.
 * Accepted only for a trace id a fetched form left in the click store, once.
 */
export function browserSpanRoutes(deps: {
  clicks: ClickStore;
  exporter: BrowserSpanExporter | undefined;
  logger: Logger;
}): Router {
  const router = Router();
  router.post('/telemetry/browser-span', async (req, res) => {
    res.status(204).end();
    const form = spanForm.safeParse(req.body);
    if (!deps.exporter || !form.success) return;
    const { traceparent, name, path, start, end, status } = form.data;
    const [, traceId, spanId] = TRACEPARENT.exec(traceparent)!;
    const plausible =
      end >= start && end - start <= MAX_DURATION_MS && Math.abs(Date.now() - end) <= MAX_SKEW_MS;
    if (!plausible || !(await deps.clicks.take(traceId!).catch(() => false))) return;
    await deps.exporter.export({
      traceId: traceId!,
      spanId: spanId!,
      name,
      startMs: start,
      endMs: end,
      method: 'POST',
      path,
      status,
      userAgent: req.get('user-agent'),
    });
  });
  return router;
}
