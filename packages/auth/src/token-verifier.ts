import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { UnauthorizedError } from '@surge/errors';
import { ACCESS_TOKEN_ALGORITHM, isRole, type Principal } from './claims';
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
 * Verifies access tokens: RS256 only (rejects `none` and HS256 signed with the public
 * key, the classic confusion attack), a known `kid`, and `iss`, `aud`, and an `exp` that
 * must be present.
 * Every failure is a 401 with no hint of which check failed, except expiry, which
 * clients need to know to refresh.
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
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw invalid();
    const { alg, kid } = decoded.header;
    if (alg !== ACCESS_TOKEN_ALGORITHM || typeof kid !== 'string' || kid.length === 0 || kid.length > 128)
      throw invalid();
    const key = await this.options.keys.keyFor(kid);
    if (!key) throw invalid();
    let payload: jwt.JwtPayload | string;
    try {
      payload = jwt.verify(token, key, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds ?? 5,
      });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) {
        throw new UnauthorizedError('TOKEN_EXPIRED', 'Access token expired', { cause: error });
      }
      throw invalid(error);
    }
    // jsonwebtoken checks `exp` only when it is there: a token without one would be valid
    // forever (a leaked one could never be made to expire short of rotating the key).
    if (
      typeof payload === 'string' ||
      typeof payload.exp !== 'number' ||
      typeof payload.sub !== 'string' ||
      !isRole(payload.role)
    )
      throw invalid();
    const principal: Principal = { userId: payload.sub, role: payload.role };
    // Not before `nbf`: jsonwebtoken's clock tolerance let it through a little early.
    if (typeof payload.nbf !== 'number' || payload.nbf * 1000 <= this.now())
      this.cache?.set(token, principal, payload.exp, this.now());
    return principal;
  }
}

function invalid(cause?: unknown): UnauthorizedError {
  return new UnauthorizedError('INVALID_TOKEN', 'Invalid access token', cause === undefined ? {} : { cause });
}
