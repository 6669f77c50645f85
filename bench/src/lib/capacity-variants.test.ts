import {
  DEFAULT_LOGIN_SHARE,
  DEFAULT_VARIANTS,
  hashingMemoryMiB,
  parseVariants,
  readLoginShare,
} from './capacity-variants';

describe('parseVariants', () => {
  it('runs the signed-in headline and the fresh-login design on two user instances when nothing is set', () => {
    expect(parseVariants(undefined).map((v) => v.name)).toEqual(DEFAULT_VARIANTS);
    expect(parseVariants(' ').map((v) => v.name)).toEqual(['signed-in', 'fresh-login-2-users']);
  });

  it('keeps the order asked, so the first listed is the headline', () => {
    const variants = parseVariants('fresh-login, signed-in');
    expect(variants.map((v) => [v.name, v.sessions, v.userInstances])).toEqual([
      ['fresh-login', 'fresh-login', 1],
      ['signed-in', 'signed-in', 1],
    ]);
  });

  it('names every unknown or repeated variant at once, with the known ones', () => {
    expect(() => parseVariants('signed-in,turbo,signed-in')).toThrow(
      'BENCH_BF_VARIANTS: unknown variant "turbo"; variant "signed-in" listed twice; a comma-separated list of signed-in, fresh-login, fresh-login-2-users',
    );
    expect(() => parseVariants(',')).toThrow('no variant listed');
  });
});

describe('hashingMemoryMiB', () => {
  it('counts two 128 MiB derivations per user instance', () => {
    const [signedIn, twoUsers] = parseVariants('signed-in,fresh-login-2-users');
    expect(hashingMemoryMiB(signedIn!)).toBe(256);
    expect(hashingMemoryMiB(twoUsers!)).toBe(512);
  });
});

describe('readLoginShare', () => {
  it('defaults to a tenth of cart and checkout visits', () => {
    expect(readLoginShare(undefined)).toBe(DEFAULT_LOGIN_SHARE);
    expect(readLoginShare('')).toBe(0.1);
    expect(readLoginShare('0.05')).toBe(0.05);
    expect(readLoginShare('0')).toBe(0);
  });

  it('refuses anything that is not a share', () => {
    expect(() => readLoginShare('10%')).toThrow(
      'BENCH_BF_LOGIN_SHARE must be a share between 0 and 1, got 10%',
    );
    expect(() => readLoginShare('1.5')).toThrow('got 1.5');
  });
});
