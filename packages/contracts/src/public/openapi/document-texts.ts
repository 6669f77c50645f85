import { IDEMPOTENCY_KEY_PATTERN } from '../../idempotency';
import { MAX_CURSOR_LENGTH } from '../../cursor';

/** The prose of the public document: what a reader needs besides the schemas. */
export const INFO = {
  title: 'Surge public API',
  version: '1.0.0',
  summary: 'The public contract of Surge, as served by the API gateway.',
  contact: { name: 'The Surge maintainers' },
  license: { name: 'MIT', identifier: 'MIT' },
  description: [
    'JSON in and out, UTF-8. Money is an integer amount in the minor unit of its ISO 4217 `currency` (`priceCents`, `totalCents` and `amountCents` count cents for USD, yen for JPY, fils for KWD: the exponent follows the currency). A cart and an order hold one currency. Ids are UUIDs; times are ISO 8601 UTC.',
    'Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code` and the `requestId`; each error answer below lists the codes it may carry. Unknown routes are 404 problems; a method a path does not serve is a 405 problem with `Allow`; malformed JSON is 400, a body over the limit 413, a non-JSON body 415. A 5xx is never the answer to a client mistake.',
    'Every answer carries `x-request-id`; W3C `traceparent` is honoured. Rate limits answer 429 with `Retry-After`; overload shedding answers 503 with `Retry-After`.',
    `Lists take \`limit\` (1..100, default 20) and an opaque \`cursor\` (at most ${MAX_CURSOR_LENGTH} characters), and answer \`{items, nextCursor}\`.`,
    'Generated from the zod schemas in `packages/contracts/src/public/` that the services validate with (`npm run contracts:openapi`); never edited by hand. Paths under `/internal/` are never routed by the gateway.',
  ].join('\n\n'),
};

export const TAGS = [
  { name: 'auth', description: 'Accounts, sign-in and the token keys.' },
  { name: 'users', description: "The caller's profile." },
  { name: 'catalog', description: 'Products and categories; writes are for admins.' },
  { name: 'cart', description: "The caller's cart." },
  { name: 'orders', description: 'Checkout and orders.' },
  { name: 'payments', description: "The caller's payments." },
  { name: 'notifications', description: 'Messages sent to the caller.' },
  { name: 'operations', description: "The gateway's own endpoints." },
];

export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'Access token from POST /api/auth/login: RS256, `kid` in the header, keys at GET /api/auth/jwks, `iss` surge-user, `aud` surge.',
  },
};

/** The request-id rule of packages/http-kit/src/request-id.ts. */
const REQUEST_ID = '^[A-Za-z0-9._:-]{1,128}$';

export const COMPONENT_HEADERS = {
  XRequestId: {
    description: `The request id: the client's own when it sent a sane one (1..128 of \`A-Za-z0-9._:-\`), else a new UUID.`,
    schema: { type: 'string', pattern: REQUEST_ID },
  },
  RetryAfter: {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'string', pattern: '^[1-9][0-9]*$' },
  },
  ETag: {
    description: 'Entity tag of the representation; send it back in `If-None-Match`.',
    schema: { type: 'string' },
  },
  Location: {
    description: 'Where the created resource is.',
    schema: { type: 'string', format: 'uri-reference' },
  },
};

export const COMPONENT_PARAMETERS = {
  RequestId: {
    name: 'x-request-id',
    in: 'header',
    required: false,
    description:
      'Your id for the request, echoed on the answer and in every log line when it is 1..128 of `A-Za-z0-9._:-`; any other value is replaced by a new UUID (never refused).',
    schema: { type: 'string' },
    example: 'checkout-7f3a',
  },
  Traceparent: {
    name: 'traceparent',
    in: 'header',
    required: false,
    description: 'W3C trace context; honoured and passed on (an invalid one is ignored).',
    schema: { type: 'string' },
  },
  Tracestate: {
    name: 'tracestate',
    in: 'header',
    required: false,
    description: 'W3C trace context vendor state; passed on.',
    schema: { type: 'string' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: true,
    description:
      '8..255 visible ASCII characters, scoped per user. A replay with the same body returns the first answer; another body is 422; while the first is in flight, 409 with `Retry-After`.',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
    example: '3f1c9a52-checkout-1',
  },
  IfNoneMatch: {
    name: 'If-None-Match',
    in: 'header',
    required: false,
    description: 'An `ETag` from an earlier answer: 304 without a body while it is current.',
    schema: { type: 'string' },
  },
};
