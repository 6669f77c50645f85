import { randomUUID } from 'node:crypto';
import type { PasswordHasher, ProfileCache, UserStore } from './ports';
import { normalizeEmail } from './user';

interface Credentials {
  email: string;
  password: string;
}

/**
 * Makes the configured admin the one that logs in: creates it when absent; when it exists
 * but the configured password no longer verifies (ADMIN_PASSWORD was changed), stores the
 * new password's hash, makes it an admin again and ends its sessions. Doing nothing on
 * conflict, as before, left the old password working and the new one refused. A start
 * whose password still verifies writes nothing.
 */
export async function seedAdmin(
  deps: { users: UserStore; hasher: PasswordHasher; cache?: ProfileCache },
  admin: Credentials,
): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = await deps.users.findByEmail(normalizeEmail(admin.email));
  if (!existing) {
    const now = new Date();
    const created = await deps.users.ensureAdmin({
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
    // Another instance created it at the same moment: check what it stored.
    if (created) return 'created';
    return seedAdmin(deps, admin);
  }
  if (existing.role === 'admin' && (await deps.hasher.verify(admin.password, existing.passwordHash)))
    return 'unchanged';
  await deps.users.resetAdmin(existing.id, await deps.hasher.hash(admin.password));
  // A cached profile may still show the role it had.
  await deps.cache?.invalidate(existing.id);
  return 'updated';
}

/**
 * Production must not start while the documented development credentials open an
 * account: they are in every copy of the docs. Checked after seeding, so a production
 * that configured the development admin's address with a password of its own (the way
 * out) passes.
 */
export async function assertNoDevelopmentAdmin(
  deps: { users: UserStore; hasher: PasswordHasher },
  development: Credentials,
): Promise<void> {
  const account = await deps.users.findByEmail(normalizeEmail(development.email));
  if (account && (await deps.hasher.verify(development.password, account.passwordHash))) {
    throw new Error(
      `production refuses to start: the development admin ${development.email} still logs in with the development password; ` +
        `set ADMIN_EMAIL=${development.email} with an ADMIN_PASSWORD of your own (the next start replaces it), or delete that account`,
    );
  }
}
