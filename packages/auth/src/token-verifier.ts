import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { UnauthorizedError } from '@surge/errors';
import { ACCESS_TOKEN_ALGORITHM, isRole, type Principal } from './claims';

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
}

/**
 * Verifies access tokens: RS256 only (rejects `none` and HS256 signed with the public
 * key, the classic confusion attack), a known `kid`, and `iss`, `aud`, and an `exp` that
 * must be present.
 * Every failure is a 401 with no hint of which check failed, except expiry, which
 * clients need to know to refresh.
 */
export class TokenVerifier {
  constructor(private readonly options: TokenVerifierOptions) {}

  async verify(token: string): Promise<Principal> {
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
    return { userId: payload.sub, role: payload.role };
  }
}

function invalid(cause?: unknown): UnauthorizedError {
  return new UnauthorizedError('INVALID_TOKEN', 'Invalid access token', cause === undefined ? {} : { cause });
}
