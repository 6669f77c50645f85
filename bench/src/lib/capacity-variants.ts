/**
 * The variants of the Black Friday capacity run (BENCH_BF_VARIANTS): who logs in during a
 * step, and how many user-service instances hash their passwords. Each variant is a
 * search of its own on the same stack; the first one listed is the headline figure.
 */

/** Who logs in during a step (load-tests/black-friday-step.py, LOAD_SESSIONS). */
export type SessionDesign = 'signed-in' | 'fresh-login';

export interface CapacityVariant {
  name: string;
  sessions: SessionDesign;
  /** User-service instances behind the gateway during the variant's search. */
  userInstances: number;
  /** One line for the report: what the variant models. */
  describes: string;
}

/**
 * Every variant the bench knows. Why these: `signed-in` is the crowd a shop sees (sessions
 * from earlier visits, a share of logins); `fresh-login` is the step design of the first
 * capacity runs (every customer logs in on its first cart or checkout visit), whose limit
 * is the user service's scrypt (2 derivations at once per instance); `fresh-login-2-users`
 * is the same with a second user instance, which doubles the derivations the stack runs
 * at once (128 MiB each).
 */
export const CAPACITY_VARIANTS: readonly CapacityVariant[] = [
  {
    name: 'signed-in',
    sessions: 'signed-in',
    userInstances: 1,
    describes: 'most customers arrive signed in; a share of cart and checkout visits log in with a password',
  },
  {
    name: 'fresh-login',
    sessions: 'fresh-login',
    userInstances: 1,
    describes: 'every customer logs in with a password on its first cart or checkout visit',
  },
  {
    name: 'fresh-login-2-users',
    sessions: 'fresh-login',
    userInstances: 2,
    describes:
      'every customer logs in on its first cart or checkout visit; two user instances share the logins',
  },
];

/** What `npm run bench -- black-friday-capacity` (and `all`) runs unless BENCH_BF_VARIANTS says otherwise. */
export const DEFAULT_VARIANTS = ['signed-in', 'fresh-login-2-users'];

/** Scrypt at N = 2^17, r = 8 holds 128 MiB per derivation (services/user/src/domain/password-hasher.ts). */
export const MIB_PER_DERIVATION = 128;
/** Derivations one user instance runs at once (password-hasher.ts, MAX_CONCURRENT_DERIVATIONS). */
export const DERIVATIONS_PER_INSTANCE = 2;

/** Peak memory the variant's password hashing may hold, MiB: every instance deriving at its limit. */
export function hashingMemoryMiB(variant: CapacityVariant): number {
  return variant.userInstances * DERIVATIONS_PER_INSTANCE * MIB_PER_DERIVATION;
}

/** `signed-in,fresh-login-2-users` into the variants, in that order; an unknown or repeated name is an error. */
export function parseVariants(raw: string | undefined): CapacityVariant[] {
  const names =
    raw === undefined || raw.trim() === ''
      ? DEFAULT_VARIANTS
      : raw
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== '');
  const problems: string[] = [];
  const variants: CapacityVariant[] = [];
  for (const name of names) {
    const variant = CAPACITY_VARIANTS.find((known) => known.name === name);
    if (!variant) problems.push(`unknown variant "${name}"`);
    else if (variants.includes(variant)) problems.push(`variant "${name}" listed twice`);
    else variants.push(variant);
  }
  if (variants.length === 0 && problems.length === 0) problems.push('no variant listed');
  if (problems.length > 0)
    throw new Error(
      `BENCH_BF_VARIANTS: ${problems.join('; ')}; a comma-separated list of ${CAPACITY_VARIANTS.map((v) => v.name).join(', ')}`,
    );
  return variants;
}

/** The share of cart and checkout visits that log in with a password in the signed-in design (BENCH_BF_LOGIN_SHARE). */
export function readLoginShare(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_LOGIN_SHARE;
  const share = Number(raw);
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new Error(`BENCH_BF_LOGIN_SHARE must be a share between 0 and 1, got ${raw}`);
  return share;
}

/**
 * 10% of cart and checkout visits log in with a password: the upper end of the 5-10% a
 * shop whose customers keep refresh-token sessions for days sees (new devices, sessions
 * that expired since the last visit, first purchases), so the headline errs on the side of
 * more scrypt, not less.
 */
export const DEFAULT_LOGIN_SHARE = 0.1;
