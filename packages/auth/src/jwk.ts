import { createPublicKey, type KeyObject } from 'node:crypto';

import type { PublicJwk } from '@surge/contracts';

/** The JWKS's shapes are the contract's (packages/contracts/src/internal/auth-api.ts). */
export type { Jwks, PublicJwk } from '@surge/contracts';

/** Publishes an RSA public key as a JWK with its key id. */
export function toPublicJwk(publicKey: KeyObject, kid: string): PublicJwk {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || !jwk.n || !jwk.e) throw new Error('only RSA public keys can be published');
  return { kty: 'RSA', kid, use: 'sig', alg: 'RS256', n: jwk.n, e: jwk.e };
}

export function fromPublicJwk(jwk: PublicJwk): KeyObject {
  return createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
}
