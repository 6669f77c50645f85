import { z } from 'zod';
import { COMMON_ANSWERS, problemAnswer, type RouteContract } from './route-contract';

/**
 * The user service's keys and its token endpoint for services (docs/internal-apis.md,
 * "Service identity"): every service fetches the JWKS to verify tokens, and asks the
 * token endpoint for a service token before calling a neighbour.
 */

// ---- GET /api/auth/jwks ----------------------------------------------------------------

/** An RS256 verification key (RFC 7517 §4, RFC 7518 §6.3.1). */
export const publicJwk = z.object({
  kty: z.literal('RSA'),
  kid: z.string().min(1).max(200),
  use: z.literal('sig'),
  alg: z.literal('RS256'),
  n: z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url'),
  e: z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url'),
});
export type PublicJwk = z.infer<typeof publicJwk>;

export const jwks = z.object({
  keys: z.array(publicJwk).describe('The current key first, then keys still verifying older tokens'),
});
export type Jwks = z.infer<typeof jwks>;

export const JWKS_PATH = '/api/auth/jwks';

export const getJwksRoute = {
  service: 'user',
  operationId: 'getJwks',
  method: 'get',
  path: JWKS_PATH,
  summary: 'The public keys that verify user and service tokens',
  description: 'Cacheable for five minutes; a token with an unknown `kid` is a reason to fetch it again.',
  responses: {
    200: { description: 'The key set', body: jwks, headers: { 'Cache-Control': 'public, max-age=300' } },
    // The key set needs no credentials, but a request that sends some has them checked, as
    // on every route of the service.
    401: problemAnswer('An `Authorization` header that is not a valid, current Bearer token', [
      'INVALID_TOKEN',
      'TOKEN_EXPIRED',
    ]),
    ...COMMON_ANSWERS,
  },
} as const satisfies RouteContract;

// ---- POST /internal/auth/token (OAuth 2.0 client credentials) --------------------------

/** RFC 6749 §5.2's error codes, as members of the problem document. */
export const OAUTH_ERRORS = [
  'invalid_request',
  'invalid_client',
  'unsupported_grant_type',
  'invalid_target',
  'unauthorized_client',
] as const;
export type OAuthErrorCode = (typeof OAUTH_ERRORS)[number];

/** A parameter given once, as a string; empty is the same as absent (RFC 6749 §3.1). */
const tokenParameter = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().max(1024, 'must be at most 1024 characters').optional(),
);

/**
 * The token request's parameters, from a form (as RFC 6749 §4.4.2 has it) or JSON. The
 * client's id and secret may come as HTTP Basic instead (§2.3.1); which combinations are
 * allowed, and which `error` each refusal has, is the token endpoint's logic. Unknown
 * parameters are ignored (§3.2).
 */
export const serviceTokenRequest = z.object({
  // Required, and the one grant there is: the document says so (a request without it, or
  // with another, is refused: 400 invalid_request, unsupported_grant_type), while the
  // endpoint keeps its own checks, which answer with RFC 6749's `error` codes.
  grant_type: z
    .preprocess((value) => (value === '' ? undefined : value), z.string().max(1024))
    .meta({ description: '`client_credentials`', enum: ['client_credentials'] }),
  client_id: tokenParameter.describe('The calling service, unless given as HTTP Basic'),
  client_secret: tokenParameter.describe('Its secret, unless given as HTTP Basic'),
  audience: tokenParameter.describe('The service to call (or `resource`)'),
  resource: tokenParameter.describe('Same as `audience` (RFC 8707)'),
});
export type ServiceTokenParameters = z.input<typeof serviceTokenRequest>;

export const serviceTokenAnswer = z.object({
  access_token: z.string().min(1).describe('An RS256 JWT for `audience`'),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().positive().describe('Seconds'),
});
export type ServiceTokenAnswer = z.infer<typeof serviceTokenAnswer>;

const oauthProblem = (errors: readonly [OAuthErrorCode, ...OAuthErrorCode[]]) => ({
  error: z.enum(errors).describe('RFC 6749 §5.2'),
  error_description: z.string(),
});

export const SERVICE_TOKEN_PATH = '/internal/auth/token';

export const issueServiceTokenRoute = {
  service: 'user',
  operationId: 'issueServiceToken',
  method: 'post',
  path: SERVICE_TOKEN_PATH,
  summary: 'A service token for one audience (OAuth 2.0 client credentials)',
  description:
    'The client authenticates with `client_id` and `client_secret` in the body or as HTTP Basic, not both. ' +
    'Answers carry `Cache-Control: no-store`.',
  body: serviceTokenRequest,
  bodyMediaTypes: ['application/x-www-form-urlencoded', 'application/json'],
  responses: {
    200: { description: 'The token', body: serviceTokenAnswer, headers: { 'Cache-Control': 'no-store' } },
    400: problemAnswer(
      'A malformed request, another grant type, or an audience tokens are not issued for',
      ['VALIDATION_FAILED', 'MALFORMED_JSON'],
      oauthProblem(['invalid_request', 'unsupported_grant_type', 'invalid_target']),
    ),
    401: problemAnswer(
      'Unknown client or wrong secret (indistinguishable)',
      ['INVALID_CREDENTIALS'],
      oauthProblem(['invalid_client']),
      { 'WWW-Authenticate': 'Basic realm="surge-internal"' },
    ),
    415: problemAnswer('Neither a form nor JSON', ['UNSUPPORTED_MEDIA_TYPE']),
    429: problemAnswer(
      'Too many failed authentications from this address',
      ['RATE_LIMITED'],
      {},
      {
        'Retry-After': 'Seconds to wait',
      },
    ),
    ...COMMON_ANSWERS,
  },
} as const satisfies RouteContract;

export const AUTH_ROUTES = [getJwksRoute, issueServiceTokenRoute] as const;
