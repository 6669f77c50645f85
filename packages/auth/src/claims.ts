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
