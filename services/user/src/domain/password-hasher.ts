import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from './ports';

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * How many derivations may run at once. At N = 2^17 each holds 128 MiB; libuv's four
 * threads could otherwise take half a GiB in a 512 MiB container during a login burst.
 * Waiting logins queue here (the per-IP and per-account limits bound how many come).
 */
const MAX_CONCURRENT_DERIVATIONS = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_DERIVATIONS) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

/**
 * scrypt, memory-hard, with the parameters stored in the hash (`scrypt$N$r$p$salt$key`)
 * so the cost can rise later without breaking existing passwords (needsRehash tells the
 * login to replace an older one). OWASP's current minimum is N = 2^17, r = 8, p = 1
 * (PASSWORD_HASH_COST=17, the default). Comparison is constant-time. Node's default
 * maxmem (32 MiB) is below what N = 2^17 needs (128 MiB), so it is set per call.
 */
export function createScryptHasher(costLog2: number): PasswordHasher {
  const params = { N: 2 ** costLog2, r: 8, p: 1 };
  const maxmem = 256 * params.N * params.r + 1024 * 1024;
  const hasher: PasswordHasher = {
    async hash(password) {
      const salt = randomBytes(16);
      const key = await limited(() => derive(password, salt, { ...params, maxmem }));
      return [
        'scrypt',
        params.N,
        params.r,
        params.p,
        salt.toString('base64url'),
        key.toString('base64url'),
      ].join('$');
    },
    async verify(password, stored) {
      const [scheme, n, r, p, salt, key] = stored.split('$');
      if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
      const expected = Buffer.from(key, 'base64url');
      const N = Number(n);
      const actual = await limited(() =>
        derive(password, Buffer.from(salt, 'base64url'), {
          N,
          r: Number(r),
          p: Number(p),
          maxmem: 256 * N * Number(r) + 1024 * 1024,
        }),
      );
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
    needsRehash(stored) {
      const [scheme, n, r, p] = stored.split('$');
      return (
        scheme !== 'scrypt' || Number(n) !== params.N || Number(r) !== params.r || Number(p) !== params.p
      );
    },
    decoyHash: Promise.resolve(''),
  };
  // Computed once, lazily awaited: a hash with the same cost as real ones.
  (hasher as { decoyHash: Promise<string> }).decoyHash = hasher.hash(randomBytes(16).toString('hex'));
  return hasher;
}
