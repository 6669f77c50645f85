import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { UnauthorizedError } from '@surge/errors';
import { ACCESS_TOKEN_ALGORITHM, TOKEN_USE_CLAIM, isRole, type Principal } from './claims';
import { VerifiedTokenCache, type VerifiedTokenCacheOptions } from './verified-tokens';

/** Where verification keys come from: a local key ring or a remote JWKS. */
export interface KeySource {
  /** The key for `kid`, or undefined when this source does not know it (after trying to refresh). */
  keyFor(kid: string): Promise<KeyObject | undefined>;
}

export interface TokenVerifierOptions {
  keys: KeySource;
  issuer: string;
  audience: string;
  /** Tolerated clock difference between issuer and verifier. */
  clockToleranceSeconds?: number;
  /** Verified tokens remembered (verified-tokens.ts); `false` verifies every time. */
  cache?: VerifiedTokenCacheOptions | false;
  /** The clock, in epoch ms; a test may move it. */
  now?: () => number;
}

/** About 10k users active within a minute per process; at most a few MB of tokens. */
const DEFAULT_CACHE: VerifiedTokenCacheOptions = { maxEntries: 10_000, maxAgeMs: 60_000 };

/**
 * Checks what every Surge token must pass, user or service token alike: RS256 only
 * (rejects `none` and HS256 signed with the public key, the classic confusion attack),
 * a known `kid`, `iss`, `aud`, and an `exp` that must be present (jsonwebtoken checks it
 * only when it is there: a token without one would be valid forever).
 * Every failure is a 401 with no hint of which check failed, except expiry, which
 * clients need to know to refresh.
 */
export async function verifySignedToken(
  token: string,
  options: TokenVerifierOptions,
): Promise<jwt.JwtPayload & { exp: number; sub: string }> {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') throw invalidToken();
  const { alg, kid } = decoded.header;
  if (alg !== ACCESS_TOKEN_ALGORITHM || typeof kid !== 'string' || kid.length === 0 || kid.length > 128)
    throw invalidToken();
  const key = await options.keys.keyFor(kid);
  if (!key) throw invalidToken();
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(token, key, {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: options.issuer,
      audience: options.audience,
      clockTolerance: options.clockToleranceSeconds ?? 5,
    });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) {
      throw new UnauthorizedError('TOKEN_EXPIRED', 'Access token expired', { cause: error });
    }
    throw invalidToken(error);
  }
  if (typeof payload === 'string' || typeof payload.exp !== 'number' || typeof payload.sub !== 'string')
    throw invalidToken();
  return payload as jwt.JwtPayload & { exp: number; sub: string };
}

/**
 * Verifies user access tokens (verifySignedToken's checks, and a role). A service token
 * (`token_use` set) is refused even if its audience were this one.
 */
export class TokenVerifier {
  private readonly cache: VerifiedTokenCache | undefined;
  private readonly now: () => number;

  constructor(private readonly options: TokenVerifierOptions) {
    this.cache = options.cache === false ? undefined : new VerifiedTokenCache(options.cache ?? DEFAULT_CACHE);
    this.now = options.now ?? Date.now;
  }

  /**
   * The principal of a token this verifier accepted before and that is still within its
   * `exp`, without any verification work; undefined for any other token (never seen,
   * expired, refused). The gateway uses it to settle its rate-limit checks in one Redis
   * round trip (services/gateway token-failure-gate.ts).
   */
  verifiedBefore(token: string): Principal | undefined {
    return this.cache?.get(token, this.now());
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verifiedBefore(token);
    if (known) return known;
    const payload = await verifySignedToken(token, this.options);
    // A service token (`token_use` set) is never a user's, whatever its audience.
    if (!isRole(payload.role) || payload[TOKEN_USE_CLAIM] !== undefined) throw invalidToken();
    const principal: Principal = { userId: payload.sub, role: payload.role };
    // Not before `nbf`: jsonwebtoken's clock tolerance let it through a little early.
    if (typeof payload.nbf !== 'number' || payload.nbf * 1000 <= this.now())
      this.cache?.set(token, principal, payload.exp, this.now());
    return principal;
  }
}

export function invalidToken(cause?: unknown): UnauthorizedError {
  return new UnauthorizedError('INVALID_TOKEN', 'Invalid access token', cause === undefined ? {} : { cause });
}
