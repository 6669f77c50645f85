import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '@surge/errors';
import { bodyTooLarge } from '../../clients/proxy-errors';
import { drainRequest } from './drain-request';
import { matchedRoute } from './request-locals';

export type BodyVerdict = 'none' | 'acceptable' | 'too-large' | 'unsupported-type';

/**
 * The contract's body rules, judged from headers alone because the gateway never
 * parses a body. Unlike type-is, `Content-Length: 0` is no body (a bare
 * `POST /api/orders/:id/cancel` from fetch carries it and no Content-Type).
 */
export function judgeBody(
  headers: IncomingHttpHeaders,
  limitBytes: number,
  accepts: (contentType: string | undefined) => boolean = isJsonMediaType,
): BodyVerdict {
  const declared = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  const chunked = headers['transfer-encoding'] !== undefined;
  if (!chunked && (declared === undefined || declared === 0)) return 'none';
  if (declared !== undefined && declared > limitBytes) return 'too-large';
  return accepts(headers['content-type']) ? 'acceptable' : 'unsupported-type';
}

/** The storefront's HTML forms post `application/x-www-form-urlencoded`; its pages take that only. */
export function isFormMediaType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** `application/json` or a structured `+json` type, with or without parameters. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const essence = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return essence === 'application/json' || /^application\/[\w.!#$&^-]+\+json$/.test(essence);
}

/** 413 and 415 before a byte reaches a service; chunked bodies are counted while they stream. */
export function bodyRules(limitBytes: number): RequestHandler {
  return async (req, res, next) => {
    const forPages = matchedRoute(res).upstream === 'storefront';
    const verdict = judgeBody(req.headers, limitBytes, forPages ? isFormMediaType : isJsonMediaType);
    res.locals.gatewayHasBody = verdict === 'acceptable';
    if (verdict === 'too-large') {
      await drainRequest(req, res);
      return next(bodyTooLarge(limitBytes));
    }
    if (verdict === 'unsupported-type') {
      const expected = forPages ? 'application/x-www-form-urlencoded' : 'application/json';
      return next(new AppError('UNSUPPORTED_MEDIA_TYPE', `Request bodies must be ${expected}`));
    }
    next();
  };
}
