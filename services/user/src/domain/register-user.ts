import { randomUUID } from 'node:crypto';
import { ConflictError } from '@surge/errors';
import type { PasswordHasher, UserStore } from './ports';
import { toProfile, type Profile } from './user';

export interface RegisterUserInput {
  email: string;
  password: string;
  name: string;
}

/**
 * Creates a customer account. The user row and its `user.registered` event commit in
 * one transaction (invariant: every registered user is announced exactly once, and
 * nothing is announced for a registration that failed). A taken email is 409.
 */
export async function registerUser(
  deps: { users: UserStore; hasher: PasswordHasher },
  input: RegisterUserInput,
): Promise<Profile> {
  const now = new Date();
  const user = {
    id: randomUUID(),
    email: input.email.trim(),
    name: input.name.trim(),
    role: 'customer' as const,
    preferences: {},
    version: 1,
    createdAt: now,
    updatedAt: now,
    passwordHash: await deps.hasher.hash(input.password),
  };
  const created = await deps.users.createWithEvent(user);
  if (!created) throw new ConflictError('EMAIL_TAKEN', 'An account with this email already exists');
  return toProfile(user);
}
