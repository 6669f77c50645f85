import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ACCESS_TOKEN_ALGORITHM } from '@surge/auth';
import type { AccessTokenIssuer } from '../domain/ports';
import type { SigningKey } from './signing-keys';

/** RS256 access tokens with `kid`, `sub`, `role`, `iss`, `aud`, `exp` and a unique `jti`. */
export function createAccessTokenIssuer(
  key: SigningKey,
  options: { issuer: string; audience: string; ttlSeconds: number },
): AccessTokenIssuer {
  return {
    issue({ userId, role }) {
      const token = jwt.sign({ role }, key.privateKey, {
        algorithm: ACCESS_TOKEN_ALGORITHM,
        keyid: key.kid,
        subject: userId,
        issuer: options.issuer,
        audience: options.audience,
        expiresIn: options.ttlSeconds,
        jwtid: randomUUID(),
      });
      return { token, expiresIn: options.ttlSeconds };
    },
  };
}
