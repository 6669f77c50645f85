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
 * scrypt, memory-hard, with the parameters stored in the hash (`scrypt$N$r$p$salt$key`)
 * so the cost can rise later without breaking existing passwords. Comparison is
 * constant-time.
 */
export function createScryptHasher(costLog2: number): PasswordHasher {
  const params = { N: 2 ** costLog2, r: 8, p: 1 };
  const maxmem = 256 * params.N * params.r + 1024 * 1024;
  const hasher: PasswordHasher = {
    async hash(password) {
      const salt = randomBytes(16);
      const key = await derive(password, salt, { ...params, maxmem });
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
      const actual = await derive(password, Buffer.from(salt, 'base64url'), {
        N,
        r: Number(r),
        p: Number(p),
        maxmem: 256 * N * Number(r) + 1024 * 1024,
      });
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
    decoyHash: Promise.resolve(''),
  };
  // Computed once, lazily awaited: a hash with the same cost as real ones.
  (hasher as { decoyHash: Promise<string> }).decoyHash = hasher.hash(randomBytes(16).toString('hex'));
  return hasher;
}
