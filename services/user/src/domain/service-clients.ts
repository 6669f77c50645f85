import { createHash, timingSafeEqual } from 'node:crypto';
import type { OAuthErrorCode, ServiceTokenAnswer } from '@surge/contracts';
import { AppError } from '@surge/errors';

/**
 * OAuth 2.0 client credentials for services (RFC 6749 §4.4): a service proves who it is
 * with its client secret and gets a short-lived token for one audience, the service it
 * is about to call. The callee checks the token and its own per-route allow-list
 * (docs/security.md, "Trust between services").
 *
 * Errors carry RFC 6749 §5.2's `error` and `error_description` as members of the
 * problem document, so a standard OAuth client reads them as it expects.
 */
export interface ServiceClientRegistry {
  /** Client id → SHA-256 of its secret (hex). */
  digests: Readonly<Record<string, { digest: string }>>;
  /** The services tokens may be asked for. */
  audiences: readonly string[];
}

export interface ServiceTokenSigner {
  sign(claims: { service: string; audience: string }): { token: string; expiresIn: number };
}

export interface ServiceTokenRequest {
  grantType: string;
  clientId: string;
  clientSecret: string;
  /** The services named by `audience` and `resource`, each once: one is a valid request. */
  targets: readonly string[];
}

/** A refused token request, as RFC 6749 §5.2 names it, with our stable code for the status. */
export function oauthError(error: OAuthErrorCode, description: string): AppError {
  const code = error === 'invalid_client' ? 'INVALID_CREDENTIALS' : 'VALIDATION_FAILED';
  return new AppError(code, description, { details: { error, error_description: description } });
}

// Compared with when the client id is unknown, so a wrong id costs what a wrong secret does.
const DECOY_DIGEST = createHash('sha256').update('no such client').digest();

/**
 * Issues a token when the client is known, its secret matches (digests compared in
 * constant time) and the audience is one of the services. Never says which of id or
 * secret was wrong.
 */
export function issueServiceToken(
  deps: { clients: ServiceClientRegistry; signer: ServiceTokenSigner },
  request: ServiceTokenRequest,
): ServiceTokenAnswer {
  if (request.grantType !== 'client_credentials')
    throw oauthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported');
  const stored = Object.hasOwn(deps.clients.digests, request.clientId)
    ? deps.clients.digests[request.clientId]
    : undefined;
  const expected = stored ? Buffer.from(stored.digest, 'hex') : DECOY_DIGEST;
  const presented = createHash('sha256').update(request.clientSecret, 'utf8').digest();
  if (!timingSafeEqual(expected, presented) || !stored)
    throw oauthError('invalid_client', 'Client authentication failed');
  // Only an authenticated client hears about its target: a stranger gets invalid_client
  // whatever else its request says.
  const [audience, other] = request.targets;
  if (audience === undefined)
    throw oauthError('invalid_request', 'audience is required: the service the token is for');
  if (other !== undefined)
    throw oauthError('invalid_request', 'audience and resource name different services');
  if (!deps.clients.audiences.includes(audience))
    throw oauthError('invalid_target', `Tokens are issued for ${deps.clients.audiences.join(', ')}`);
  if (audience === request.clientId)
    throw oauthError('invalid_target', 'A service does not need a token for itself');
  const { token, expiresIn } = deps.signer.sign({ service: request.clientId, audience });
  return { access_token: token, token_type: 'Bearer', expires_in: expiresIn };
}
