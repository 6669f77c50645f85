import { randomUUID } from 'node:crypto';
import type { PasswordHasher, UserStore } from './ports';

/** Creates the configured admin once; later starts leave an existing account alone. */
export async function seedAdmin(
  deps: { users: UserStore; hasher: PasswordHasher },
  admin: { email: string; password: string },
): Promise<void> {
  const now = new Date();
  await deps.users.ensureAdmin({
    id: randomUUID(),
    email: admin.email,
    name: 'Administrator',
    role: 'admin',
    preferences: {},
    version: 1,
    createdAt: now,
    updatedAt: now,
    passwordHash: await deps.hasher.hash(admin.password),
  });
}
