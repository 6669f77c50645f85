import {
  SERVICE_NAME_PATTERN,
  SERVICE_TOKEN_USE,
  TOKEN_USE_CLAIM,
  isRole,
  type ServicePrincipal,
} from './claims';
import { invalidToken, verifySignedToken, type TokenVerifierOptions } from './token-verifier';

/**
 * Verifies service tokens on a service's internal routes: the checks every token passes
 * (RS256, known kid, issuer, expiry), `aud` = this service (`audience`, the service's own
 * name), `token_use: "service"`, and a `sub` that is a service name. A user token (no
 * `token_use`, aud `surge`) or a token minted for another service is refused with 401;
 * which caller may call which route is the route's own allow-list (http-kit's
 * allowCallers), checked after this.
 */
export class ServiceTokenVerifier {
  constructor(private readonly options: TokenVerifierOptions) {}

  get audience(): string {
    return this.options.audience;
  }

  async verify(token: string): Promise<ServicePrincipal> {
    const payload = await verifySignedToken(token, this.options);
    if (
      payload[TOKEN_USE_CLAIM] !== SERVICE_TOKEN_USE ||
      !SERVICE_NAME_PATTERN.test(payload.sub) ||
      // Belt and braces: a service token carries no role, so it can never pass for a user.
      isRole(payload.role)
    )
      throw invalidToken();
    return { service: payload.sub };
  }
}
