import { createHmac, randomUUID, sign } from 'node:crypto';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER } from '@surge/auth';
import { signTestToken, type TestKeyPair } from '@surge/testing';

/**
 * Forged access tokens for the attacks a gateway must refuse. Built by hand because
 * a JWT library (rightly) refuses to produce most of them.
 */
const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function claims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: randomUUID(),
    role: 'admin',
    iss: DEFAULT_ISSUER,
    aud: DEFAULT_AUDIENCE,
    iat: now,
    exp: now + 900,
  };
}

/** `alg: none` with an empty signature. */
export function unsignedToken(keys: TestKeyPair): string {
  return `${encode({ alg: 'none', typ: 'JWT', kid: keys.kid })}.${encode(claims())}.`;
}

/** The algorithm-confusion attack: HS256 with the RSA public key (PEM) as the HMAC secret. */
export function hs256WithPublicKey(keys: TestKeyPair): string {
  const signingInput = `${encode({ alg: 'HS256', typ: 'JWT', kid: keys.kid })}.${encode(claims())}`;
  const secret = keys.publicKey.export({ format: 'pem', type: 'spki' });
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

/** A genuine token whose payload was swapped (customer -> admin) after signing. */
export function tamperedToken(keys: TestKeyPair): string {
  const [header, payload, signature] = signTestToken(keys, { role: 'customer' }).split('.');
  const changed = {
    ...(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as object),
    role: 'admin',
  };
  return `${header}.${encode(changed)}.${signature}`;
}

/** A genuinely signed token with every claim but `exp`: valid forever, if a verifier let it. */
export function tokenWithoutExpiry(keys: TestKeyPair): string {
  const { exp: _exp, ...rest } = claims();
  void _exp;
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT', kid: keys.kid })}.${encode(rest)}`;
  const signature = sign('RSA-SHA256', Buffer.from(signingInput), keys.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}
