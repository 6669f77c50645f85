import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ACCESS_TOKEN_ALGORITHM, SERVICE_TOKEN_USE, TOKEN_USE_CLAIM } from '@surge/auth';
import type { ServiceTokenSigner } from '../domain/service-clients';
import type { SigningKey } from './signing-keys';

/**
 * RS256 service tokens, signed with the key user tokens are signed with (one JWKS for
 * every verifier): `sub` and `client_id` = the calling service, `aud` = the called one,
 * `token_use: "service"` (never accepted as a user token), `iss`, a short `exp`, `jti`.
 */
export function createServiceTokenSigner(
  key: SigningKey,
  options: { issuer: string; ttlSeconds: number },
): ServiceTokenSigner {
  return {
    sign({ service, audience }) {
      const token = jwt.sign({ [TOKEN_USE_CLAIM]: SERVICE_TOKEN_USE, client_id: service }, key.privateKey, {
        algorithm: ACCESS_TOKEN_ALGORITHM,
        keyid: key.kid,
        subject: service,
        issuer: options.issuer,
        audience,
        expiresIn: options.ttlSeconds,
        jwtid: randomUUID(),
      });
      return { token, expiresIn: options.ttlSeconds };
    },
  };
}
