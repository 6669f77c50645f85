import type { Role } from '@surge/auth';
import type { Preferences, Profile, User, UserWithSecret } from './user';

/**
 * What the use cases need from the outside world. data-access and security implement
 * these; the domain knows no pg, ioredis or jsonwebtoken.
 */
export interface UserStore {
  /** Inserts the user and its `user.registered` event in one transaction; false when the email is taken. */
  createWithEvent(user: UserWithSecret): Promise<boolean>;
  findByEmail(normalizedEmail: string): Promise<UserWithSecret | undefined>;
  findById(id: string): Promise<User | undefined>;
  update(id: string, changes: { name?: string; preferences?: Preferences }): Promise<User | undefined>;
  /** Replaces the stored hash (a re-hash at the current cost after a successful login). */
  updatePasswordHash(id: string, passwordHash: string): Promise<void>;
  /** Creates the admin unless the email exists; false when it did (another start won). */
  ensureAdmin(user: UserWithSecret): Promise<boolean>;
  /** Gives the account this password hash and the admin role, and revokes its sessions. */
  resetAdmin(id: string, passwordHash: string): Promise<void>;
}

export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

export interface RefreshTokenStore {
  insert(record: {
    id: string;
    familyId: string;
    userId: string;
    tokenHash: Buffer;
    expiresAt: Date;
  }): Promise<void>;
  /**
   * Runs `work` holding a lock on the token's row, so two concurrent refreshes of the
   * same token cannot both rotate it.
   */
  withLockedToken<T>(
    tokenHash: Buffer,
    work: (record: RefreshTokenRecord | undefined, tx: RefreshTokenTx) => Promise<T>,
  ): Promise<T>;
  revokeFamily(familyId: string): Promise<void>;
  findFamilyByHash(tokenHash: Buffer): Promise<string | undefined>;
}

/** Writes allowed inside `withLockedToken`, all in the same transaction. */
export interface RefreshTokenTx {
  markRotated(id: string): Promise<void>;
  revokeFamily(familyId: string): Promise<void>;
  insert(record: {
    id: string;
    familyId: string;
    userId: string;
    tokenHash: Buffer;
    expiresAt: Date;
  }): Promise<void>;
}

export interface ProfileCache {
  get(userId: string): Promise<Profile | undefined>;
  set(profile: Profile): Promise<void>;
  invalidate(userId: string): Promise<void>;
}

export interface AccessTokenIssuer {
  issue(subject: { userId: string; role: Role }): { token: string; expiresIn: number };
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  /** True when `stored` was made with other (older, cheaper) parameters than new hashes get. */
  needsRehash(stored: string): boolean;
  /** A valid hash of a random secret: unknown emails are checked against it so they cost the same. */
  readonly decoyHash: Promise<string>;
}
