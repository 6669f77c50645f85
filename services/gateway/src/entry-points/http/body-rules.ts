import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '@surge/errors';
import { bodyTooLarge } from '../../clients/proxy-errors';
import { drainRequest } from './drain-request';

export type BodyVerdict = 'none' | 'acceptable' | 'too-large' | 'unsupported-type';

/**
 * The contract's body rules, judged from headers alone because the gateway never
 * parses a body. Unlike type-is, `Content-Length: 0` is no body (a bare
 * `POST /api/orders/:id/cancel` from fetch carries it and no Content-Type).
 */
export function judgeBody(headers: IncomingHttpHeaders, limitBytes: number): BodyVerdict {
  const declared = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  const chunked = headers['transfer-encoding'] !== undefined;
  if (!chunked && (declared === undefined || declared === 0)) return 'none';
  if (declared !== undefined && declared > limitBytes) return 'too-large';
  return isJsonMediaType(headers['content-type']) ? 'acceptable' : 'unsupported-type';
}

/** `application/json` or a structured `+json` type, with or without parameters. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const essence = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return essence === 'application/json' || /^application\/[\w.!#$&^-]+\+json$/.test(essence);
}

/** 413 and 415 before a byte reaches a service; chunked bodies are counted while they stream. */
export function bodyRules(limitBytes: number): RequestHandler {
  return async (req, res, next) => {
    const verdict = judgeBody(req.headers, limitBytes);
    res.locals.gatewayHasBody = verdict === 'acceptable';
    if (verdict === 'too-large') {
      await drainRequest(req, res);
      return next(bodyTooLarge(limitBytes));
    }
    if (verdict === 'unsupported-type') {
      return next(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json'));
    }
    next();
  };
}
