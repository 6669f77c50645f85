import { Router, type ErrorRequestHandler, type Request } from 'express';
import { serviceTokenRequest, type ServiceTokenAnswer } from '@surge/contracts';
import { AppError } from '@surge/errors';
import {
  issueServiceToken,
  oauthError,
  type ServiceClientRegistry,
  type ServiceTokenRequest,
  type ServiceTokenSigner,
} from '../../domain/service-clients';
import type { FailureWindow } from '../../domain/failure-window';

export interface ServiceTokenRouteDeps {
  clients: ServiceClientRegistry;
  signer: ServiceTokenSigner;
  /** Failed client authentications per caller address and client id. */
  failures: FailureWindow;
}

/**
 * `POST /internal/auth/token`: the OAuth 2.0 token endpoint for services (client
 * credentials, RFC 6749 §4.4), under /internal so the gateway never routes it.
 * Takes a form (as the RFC requires) or JSON: `grant_type=client_credentials`,
 * `audience` (or `resource`) = the service to call, and the client's id and secret in
 * the body (`client_id`, `client_secret`) or as HTTP Basic (§2.3.1). Answers
 * `{ access_token, token_type: "Bearer", expires_in }`, or a problem document that also
 * has §5.2's `error` and `error_description`.
 *
 * Guessing is bounded before any secret is compared: a client id asked for from an
 * address with too many failed authentications in the window is answered 429 with
 * Retry-After. The count is per address and client id, not per address alone: natively
 * every service calls from 127.0.0.1, and one caller's wrong secret (or a probe trying
 * client ids) must not cut every other service on that host off from its tokens. A
 * guesser still gets at most the limit per real client per window. The address is the
 * socket's own: callers are inside the network, and a forwarded-for header would let a
 * guesser pick a new one per request.
 */
export function serviceTokenRoutes(deps: ServiceTokenRouteDeps): Router {
  const router = Router();
  router.post('/token', (req, res) => {
    res.set('cache-control', 'no-store').set('pragma', 'no-cache');
    // Parsing compares no secret, so it may come before the limit (it needs the client id).
    const request = tokenRequestOf(req);
    const caller = `${req.socket.remoteAddress ?? 'unknown'} ${request.clientId}`;
    const wait = deps.failures.retryAfterSeconds(caller);
    if (wait !== undefined)
      throw new AppError('RATE_LIMITED', 'Too many failed client authentications; try again later', {
        retryAfterSeconds: wait,
      });
    try {
      const answer: ServiceTokenAnswer = issueServiceToken(deps, request);
      res.json(answer);
    } catch (error) {
      if (error instanceof AppError && error.code === 'INVALID_CREDENTIALS') {
        deps.failures.recordFailure(caller);
        res.set('www-authenticate', 'Basic realm="surge-internal"');
      }
      throw error;
    }
  });
  return router;
}

/**
 * For the token path, mounted on the app before the routes: the body parser runs before any
 * route, and its refusal of a body that is not JSON gets the OAuth members every error
 * answer of this endpoint has (RFC 6749 §5.2). A router is skipped while an error travels.
 */
export function tokenBodyErrors(): ErrorRequestHandler {
  return (error, _req, _res, next) => {
    if ((error as { type?: unknown } | null)?.type !== 'entity.parse.failed') return next(error);
    const description = 'The request body is not valid JSON';
    next(
      new AppError('MALFORMED_JSON', description, {
        cause: error,
        details: { error: 'invalid_request', error_description: description },
      }),
    );
  };
}

/**
 * The request's parameters (the contract's serviceTokenRequest: each at most once, as a
 * string), from the body and the Basic header, the client authenticated one way only.
 */
function tokenRequestOf(req: Request): ServiceTokenRequest {
  const body: unknown = req.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw oauthError('invalid_request', 'The body must be a form or a JSON object');
  const grantType = (body as Record<string, unknown>).grant_type;
  if (grantType === undefined || grantType === '')
    throw oauthError('invalid_request', 'grant_type is required');
  const parsed = serviceTokenRequest.safeParse(body);
  if (!parsed.success) {
    const name = parsed.error.issues[0]?.path.join('.') ?? 'a parameter';
    throw oauthError('invalid_request', `${name} must be given once, as a string of at most 1024 characters`);
  }
  const params = parsed.data;
  const basic = basicCredentials(req.header('authorization'));
  if (basic && params.client_secret)
    throw oauthError('invalid_request', 'Authenticate the client one way: HTTP Basic or client_secret');
  if (basic && params.client_id && params.client_id !== basic.clientId)
    throw oauthError('invalid_request', 'client_id differs from the Basic credentials');
  const clientId = basic?.clientId ?? params.client_id;
  const clientSecret = basic?.clientSecret ?? params.client_secret;
  if (!clientId || !clientSecret)
    throw oauthError('invalid_client', 'Client authentication is required (client_id and client_secret)');
  // Checked once the client is authenticated (issueServiceToken).
  const targets = [...new Set([params.audience, params.resource].filter((name) => name !== undefined))];
  return { grantType: params.grant_type, clientId, clientSecret, targets };
}

/** RFC 6749 §2.3.1: `Basic base64(urlencode(id) ":" urlencode(secret))`. */
function basicCredentials(
  header: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
  if (!header) return undefined;
  const match = /^Basic ([A-Za-z0-9+/=]{1,2048})$/i.exec(header);
  if (!match?.[1]) throw oauthError('invalid_request', 'Authorization must be "Basic <credentials>"');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw oauthError('invalid_client', 'Client authentication failed');
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw oauthError('invalid_request', 'The Basic credentials are not URL-encoded');
  }
}
