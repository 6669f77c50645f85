import {
  SERVICE_NAME_PATTERN,
  SERVICE_TOKEN_USE,
  TOKEN_USE_CLAIM,
  isRole,
  type ServicePrincipal,
} from './claims';
import { invalidToken, verifySignedToken, type TokenVerifierOptions } from './token-verifier';
import { VerifiedTokenCache, type VerifiedTokenCacheOptions } from './verified-tokens';

/**
 * A service holds one token per audience and reuses it until shortly before it expires,
 * so a callee sees a handful of distinct tokens: an RS256 verification per internal call
 * (about 6 % of the product service's CPU in a checkout profile) buys nothing after the
 * first. Same rules as the user tokens' cache: by whole text, never past `exp`, re-verified
 * after at most a minute.
 */
const DEFAULT_CACHE: VerifiedTokenCacheOptions = { maxEntries: 1_000, maxAgeMs: 60_000 };

/**
 * Verifies service tokens on a service's internal routes: the checks every token passes
 * (RS256, known kid, issuer, expiry), `aud` = this service (`audience`, the service's own
 * name), `token_use: "service"`, and a `sub` that is a service name. A user token (no
 * `token_use`, aud `surge`) or a token minted for another service is refused with 401;
 * which caller may call which route is the route's own allow-list (http-kit's
 * allowCallers), checked after this.
 */
export class ServiceTokenVerifier {
  private readonly cache: VerifiedTokenCache<ServicePrincipal> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: TokenVerifierOptions) {
    this.cache = options.cache === false ? undefined : new VerifiedTokenCache(options.cache ?? DEFAULT_CACHE);
    this.now = options.now ?? Date.now;
  }

  get audience(): string {
    return this.options.audience;
  }

  async verify(token: string): Promise<ServicePrincipal> {
    const known = this.cache?.get(token, this.now());
    if (known) return known;
    const payload = await verifySignedToken(token, this.options);
    if (
      payload[TOKEN_USE_CLAIM] !== SERVICE_TOKEN_USE ||
      !SERVICE_NAME_PATTERN.test(payload.sub) ||
      // Belt and braces: a service token carries no role, so it can never pass for a user.
      isRole(payload.role)
    )
      throw invalidToken();
    const principal: ServicePrincipal = { service: payload.sub };
    // Not before `nbf`: jsonwebtoken's clock tolerance let it through a little early.
    if (typeof payload.nbf !== 'number' || payload.nbf * 1000 <= this.now())
      this.cache?.set(token, principal, payload.exp, this.now());
    return principal;
  }
}
