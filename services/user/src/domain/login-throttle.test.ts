import {
  DEFAULT_LOGIN_THROTTLE as policy,
  addressPrefix,
  backOffMs,
  decideLoginAttempt,
  type LoginAttemptHistory,
} from './login-throttle';

const now = 1_000_000_000;
const history = (changes: Partial<LoginAttemptHistory>): LoginAttemptHistory => ({
  prefixFailures: 0,
  prefixLastFailureAt: undefined,
  accountFailures: 0,
  accountWindowEndsAt: undefined,
  prefixKnownGood: false,
  ...changes,
});

describe('per-account login throttling', () => {
  it('allows the free failures, then backs off for a time that doubles', () => {
    expect(decideLoginAttempt(history({ prefixFailures: 4, prefixLastFailureAt: now }), policy, now)).toEqual(
      {
        allowed: true,
      },
    );
    expect(decideLoginAttempt(history({ prefixFailures: 5, prefixLastFailureAt: now }), policy, now)).toEqual(
      {
        allowed: false,
        retryAfterSeconds: 1,
      },
    );
    expect(backOffMs(8, policy)).toBe(8_000);
  });

  it('never backs off for longer than the cap, however many failures', () => {
    expect(backOffMs(1_000, policy)).toBe(policy.maxDelayMs);
    const later = now + policy.maxDelayMs;
    expect(
      decideLoginAttempt(history({ prefixFailures: 1_000, prefixLastFailureAt: now }), policy, later),
    ).toEqual({ allowed: true });
  });

  it('refuses every network once the account cap is reached, until the window ends', () => {
    const capped = { accountFailures: policy.accountCap, accountWindowEndsAt: now + 60_000 };
    expect(decideLoginAttempt(history(capped), policy, now)).toEqual({
      allowed: false,
      retryAfterSeconds: 60,
    });
    expect(decideLoginAttempt(history(capped), policy, now + 60_000)).toEqual({ allowed: true });
  });

  it("never lets the account cap refuse the owner's known networks", () => {
    const capped = { accountFailures: 10_000, accountWindowEndsAt: now + 60_000 };
    expect(decideLoginAttempt(history({ ...capped, prefixKnownGood: true }), policy, now)).toEqual({
      allowed: true,
    });
  });

  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['::ffff:203.0.113.77', '203.0.113.0/24'],
    ['2001:db8:1:2::7', '2001:0db8:0001::/48'],
    ['', 'unknown'],
  ])('keys %s by its network %s', (address, prefix) => {
    expect(addressPrefix(address)).toBe(prefix);
  });
});
