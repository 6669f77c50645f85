/** The roles of the contract. */
export type Role = 'customer' | 'admin';

/** What a verified access token says about its bearer. */
export interface Principal {
  userId: string;
  role: Role;
}

export const ACCESS_TOKEN_ALGORITHM = 'RS256';
export const DEFAULT_ISSUER = 'surge-user';
export const DEFAULT_AUDIENCE = 'surge';

export interface AccessTokenPayload {
  sub: string;
  role: Role;
}

export function isRole(value: unknown): value is Role {
  return value === 'customer' || value === 'admin';
}

/**
 * The claim that marks a service token (OAuth 2.0 client credentials, issued by the user
 * service): `token_use: "service"`. A user token never has it, and every verifier checks
 * it both ways, so neither kind of token is ever accepted as the other, whatever its
 * audience says.
 */
export const TOKEN_USE_CLAIM = 'token_use';
export const SERVICE_TOKEN_USE = 'service';

/** Where services ask the user service for tokens; under /internal, so the gateway never routes it. */
export { SERVICE_TOKEN_PATH } from '@surge/contracts';

/** A service name as a client id and as an audience: `order`, `payment-provider`. */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/** What a verified service token says about its bearer: which service called. */
export interface ServicePrincipal {
  service: string;
}
