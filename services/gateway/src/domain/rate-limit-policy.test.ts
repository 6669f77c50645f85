import { rateLimitSubject } from './client-ip';
import {
  decideLimit,
  isCredentialEndpoint,
  selectLimits,
  strictestRefusal,
  type RateLimitPolicies,
} from './rate-limit-policy';

const policies: RateLimitPolicies = {
  credentials: { max: 10, windowMs: 60_000 },
  user: { max: 1000, windowMs: 1_000 },
  ip: { max: 100, windowMs: 1_000 },
};

describe('rate-limit policy selection', () => {
  it('limits an anonymous request by its IP', () => {
    const checks = selectLimits(
      { method: 'GET', path: '/api/products', userId: undefined, clientIp: '203.0.113.7' },
      policies,
    );
    expect(checks).toEqual([{ policy: 'ip', key: 'ip:203.0.113.7', max: 100, windowMs: 1_000 }]);
  });

  it('limits an authenticated request by its user, not its IP', () => {
    const checks = selectLimits(
      { method: 'GET', path: '/api/orders', userId: 'u-1', clientIp: '203.0.113.7' },
      policies,
    );
    expect(checks).toEqual([{ policy: 'user', key: 'user:u-1', max: 1000, windowMs: 1_000 }]);
  });

  it('adds the tight credentials limit to login and register', () => {
    for (const path of ['/api/auth/login', '/api/auth/register']) {
      const checks = selectLimits(
        { method: 'POST', path, userId: undefined, clientIp: '203.0.113.7' },
        policies,
      );
      expect(checks.map((check) => check.policy)).toEqual(['credentials', 'ip']);
      expect(checks[0]?.key).toBe('credentials:203.0.113.7');
    }
  });

  it("counts the storefront's sign-in and sign-up form posts against the credentials limit", () => {
    expect(isCredentialEndpoint('POST', '/login')).toBe(true);
    expect(isCredentialEndpoint('POST', '/signup')).toBe(true);
    expect(isCredentialEndpoint('GET', '/login')).toBe(false);
    expect(isCredentialEndpoint('POST', '/logout')).toBe(false);
  });

  it('does not apply the credentials limit to refresh, logout or reads', () => {
    expect(isCredentialEndpoint('POST', '/api/auth/refresh')).toBe(false);
    expect(isCredentialEndpoint('POST', '/api/auth/logout')).toBe(false);
    expect(isCredentialEndpoint('GET', '/api/auth/login')).toBe(false);
  });

  it.each([
    '/api/auth/LOGIN',
    '/api/auth/login/',
    '/api/auth//login',
    '/api/auth/l%6Fgin',
    '/api/auth/Register//',
  ])('still counts %s as a credentials endpoint', (path) => {
    expect(isCredentialEndpoint('POST', path)).toBe(true);
  });
});

describe('client address for rate limiting', () => {
  it('uses IPv4 addresses as they are, also when mapped into IPv6', () => {
    expect(rateLimitSubject('198.51.100.4')).toBe('198.51.100.4');
    expect(rateLimitSubject('::ffff:198.51.100.4')).toBe('198.51.100.4');
  });

  it('groups IPv6 addresses by their /64', () => {
    expect(rateLimitSubject('2001:db8:1:2::1')).toBe('2001:0db8:0001:0002::/64');
    expect(rateLimitSubject('2001:db8:1:2:ffff:eeee:dddd:cccc')).toBe('2001:0db8:0001:0002::/64');
    expect(rateLimitSubject('::1')).toBe('0000:0000:0000:0000::/64');
  });
});

describe('limit decisions', () => {
  it('allows up to the maximum and refuses the one after it', () => {
    expect(decideLimit({ max: 3, windowMs: 1_000 }, { count: 3, resetMs: 500 })).toEqual({ allowed: true });
    expect(decideLimit({ max: 3, windowMs: 1_000 }, { count: 4, resetMs: 500 })).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
  });

  it('rounds Retry-After up to whole seconds', () => {
    expect(decideLimit({ max: 1, windowMs: 60_000 }, { count: 2, resetMs: 41_200 })).toEqual({
      allowed: false,
      retryAfterSeconds: 42,
    });
  });

  it('reports the refusal that frees up last when several limits refuse', () => {
    const checks = selectLimits(
      { method: 'POST', path: '/api/auth/login', userId: undefined, clientIp: '198.51.100.4' },
      policies,
    );
    const refusal = strictestRefusal(checks, [
      { count: 11, resetMs: 30_000 },
      { count: 101, resetMs: 400 },
    ]);
    expect(refusal).toEqual({ policy: 'credentials', retryAfterSeconds: 30 });
  });

  it('reports nothing when every limit allows the request', () => {
    const checks = selectLimits(
      { method: 'GET', path: '/api/products', userId: undefined, clientIp: '198.51.100.4' },
      policies,
    );
    expect(strictestRefusal(checks, [{ count: 1, resetMs: 1_000 }])).toBeUndefined();
  });
});
