import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppError, UnauthorizedError } from '@surge/errors';
import {
  addressPrefix,
  decideLoginAttempt,
  type LoginAttemptStore,
  type LoginThrottlePolicy,
} from './login-throttle';
import type { AccessTokenIssuer, PasswordHasher, RefreshTokenStore, UserStore } from './ports';
import { normalizeEmail } from './user';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface SessionDeps {
  users: UserStore;
  tokens: RefreshTokenStore;
  issuer: AccessTokenIssuer;
  hasher: PasswordHasher;
  refreshTtlSeconds: number;
  attempts: LoginAttemptStore;
  throttle: LoginThrottlePolicy;
}

/** Opaque refresh tokens: 256 random bits; only their SHA-256 is stored. */
function newRefreshToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

const invalidCredentials = () => new UnauthorizedError('INVALID_CREDENTIALS', 'Email or password is wrong');
const invalidRefresh = () =>
  new UnauthorizedError('INVALID_REFRESH_TOKEN', 'Refresh token is invalid, expired or revoked');

/**
 * Checks the password and starts a new token family. An unknown email is checked
 * against a decoy hash, so it costs the same time and answers the same 401 as a wrong
 * password: the endpoint does not reveal which emails have accounts.
 *
 * Throttled per account (login-throttle.ts) before any hashing: a refused attempt costs
 * no scrypt. Unknown emails are throttled like real ones, so the 429 does not reveal
 * accounts either. With the throttle's store down the login fails closed (503).
 * A hash of an older, cheaper cost is replaced on a successful login.
 */
export async function logIn(
  deps: SessionDeps,
  input: { email: string; password: string; clientAddress: string },
): Promise<SessionTokens> {
  const email = normalizeEmail(input.email);
  const account = createHash('sha256').update(email).digest('base64url');
  const prefix = addressPrefix(input.clientAddress);
  const decision = decideLoginAttempt(
    await deps.attempts.history(account, prefix),
    deps.throttle,
    Date.now(),
  );
  if (!decision.allowed)
    throw new AppError('RATE_LIMITED', 'Too many failed sign-ins for this account; retry later', {
      retriable: true,
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  const user = await deps.users.findByEmail(email);
  const stored = user?.passwordHash ?? (await deps.hasher.decoyHash);
  const matches = await deps.hasher.verify(input.password, stored);
  if (!user || !matches) {
    await deps.attempts.recordFailure(account, prefix, deps.throttle);
    throw invalidCredentials();
  }
  await deps.attempts.recordSuccess(account, prefix);
  if (deps.hasher.needsRehash(user.passwordHash))
    await deps.users.updatePasswordHash(user.id, await deps.hasher.hash(input.password));
  const refresh = newRefreshToken();
  await deps.tokens.insert({
    id: randomUUID(),
    familyId: randomUUID(),
    userId: user.id,
    tokenHash: refresh.hash,
    expiresAt: new Date(Date.now() + deps.refreshTtlSeconds * 1000),
  });
  const access = deps.issuer.issue({ userId: user.id, role: user.role });
  return {
    accessToken: access.token,
    refreshToken: refresh.token,
    tokenType: 'Bearer',
    expiresIn: access.expiresIn,
  };
}

/**
 * Rotates a refresh token. Under a row lock: a current token is marked rotated and its
 * successor inserted in the same transaction (invariant: a family has at most one live
 * token). A token that was already rotated or revoked is evidence of theft: the whole
 * family is revoked, so neither the thief nor the victim can continue with it.
 */
export async function refreshSession(deps: SessionDeps, refreshToken: string): Promise<SessionTokens> {
  const outcome = await deps.tokens.withLockedToken(hashRefreshToken(refreshToken), async (record, tx) => {
    if (!record) return { kind: 'invalid' as const };
    if (record.rotatedAt || record.revokedAt) {
      await tx.revokeFamily(record.familyId);
      return { kind: 'reused' as const };
    }
    if (record.expiresAt.getTime() <= Date.now()) return { kind: 'invalid' as const };
    const next = newRefreshToken();
    await tx.markRotated(record.id);
    await tx.insert({
      id: randomUUID(),
      familyId: record.familyId,
      userId: record.userId,
      tokenHash: next.hash,
      expiresAt: new Date(Date.now() + deps.refreshTtlSeconds * 1000),
    });
    return { kind: 'rotated' as const, userId: record.userId, token: next.token };
  });
  if (outcome.kind !== 'rotated') throw invalidRefresh();
  const user = await deps.users.findById(outcome.userId);
  if (!user) throw invalidRefresh();
  const access = deps.issuer.issue({ userId: user.id, role: user.role });
  return {
    accessToken: access.token,
    refreshToken: outcome.token,
    tokenType: 'Bearer',
    expiresIn: access.expiresIn,
  };
}

/** Ends the session: the token's whole family is revoked. Unknown tokens are ignored (logout is idempotent). */
export async function logOut(deps: Pick<SessionDeps, 'tokens'>, refreshToken: string): Promise<void> {
  const familyId = await deps.tokens.findFamilyByHash(hashRefreshToken(refreshToken));
  if (familyId) await deps.tokens.revokeFamily(familyId);
}
