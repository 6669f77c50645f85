import express, { type RequestHandler } from 'express';
import { AppError, ValidationError } from '@surge/errors';

const JSON_TYPES = ['application/json', 'application/*+json'];
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * JSON bodies only, up to `limit`. A body of another type is 415; requests without a
 * body (a bare POST /cancel) pass. Parse and size failures surface as AppErrors so
 * the error handler answers 400 / 413 problems. The paths in `formPaths` take
 * `application/x-www-form-urlencoded` too (flat: no nested keys), for the clients of a
 * standard that requires it (an OAuth 2.0 token endpoint, RFC 6749 §4.4.2).
 *
 * One middleware, and a request without a body (every GET) leaves at its first line:
 * three express layers for each read were a measurable share of a cached read's CPU.
 */
export function jsonBody(limit: string, formPaths: readonly string[] = []): RequestHandler {
  const parseJson = express.json({ limit, type: JSON_TYPES, strict: true });
  const forms = new Set(formPaths);
  const parseForm =
    forms.size > 0 ? express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 32 }) : undefined;
  return (req, res, next) => {
    const length = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    // No body at all: body-parser would skip it too.
    if (!chunked && length === undefined) return next();
    // An empty one (`Content-Length: 0`, as fetch sends for a bare POST) needs no content type.
    const empty = length === '0' && !chunked;
    const formPath = parseForm !== undefined && forms.has(req.path);
    const form = formPath && req.is(FORM_TYPE) !== false && req.is(FORM_TYPE) !== null;
    if (!empty && !form && req.is(JSON_TYPES) === false) {
      next(
        new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          formPath
            ? `Request bodies must be application/json or ${FORM_TYPE}`
            : 'Request bodies must be application/json',
        ),
      );
      return;
    }
    const parse = form ? parseForm! : parseJson;
    parse(req, res, (error?: unknown) => (error ? next(error) : refuseReservedKeys(req, res, next)));
  };
}

/**
 * Keys that are not data in JavaScript: assigned onto an object (a zod record, a spread,
 * a merge) `__proto__` swaps its prototype, and `constructor` / `prototype` shadow what
 * code reaches through them. No Surge contract has such a key, so a body with one, at any
 * depth, is refused before any route sees it.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 64;

const refuseReservedKeys: RequestHandler = (req, _res, next) => {
  const found = findReservedKey(req.body as unknown, '', 0);
  if (found === undefined) return next();
  next(
    new ValidationError('The request body is invalid', [
      { path: found || '(root)', message: 'reserved key (__proto__, constructor, prototype) not allowed' },
    ]),
  );
};

function findReservedKey(value: unknown, path: string, depth: number): string | undefined {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return undefined;
  // Own keys, as JSON.parse made them (a parsed "__proto__" is an own property).
  for (const key of Object.keys(value)) {
    const at = path ? `${path}.${key}` : key;
    if (RESERVED_KEYS.has(key)) return at;
    const inner = findReservedKey((value as Record<string, unknown>)[key], at, depth + 1);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** Turns body-parser's errors (which carry `type`) into AppErrors. */
export function fromBodyParserError(error: unknown): AppError | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  switch (type) {
    case 'entity.parse.failed':
      return new AppError('MALFORMED_JSON', 'The request body is not valid JSON', { cause: error });
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large', { cause: error });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding or charset', { cause: error });
    case 'parameters.too.many':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body has too many parameters', { cause: error });
    case 'querystring.parse.rangeError':
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AppError('VALIDATION_FAILED', 'The request body could not be read', { cause: error });
    default:
      return undefined;
  }
}
