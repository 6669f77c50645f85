import { csrfTokenFor, isValidCsrfToken } from './csrf';

describe('CSRF tokens', () => {
  it('accepts the token of the same session and nothing else', () => {
    const token = csrfTokenFor('session-a', 'secret');
    expect(isValidCsrfToken('session-a', 'secret', token)).toBe(true);
    expect(isValidCsrfToken('session-b', 'secret', token)).toBe(false);
    expect(isValidCsrfToken('session-a', 'other-secret', token)).toBe(false);
    expect(isValidCsrfToken('session-a', 'secret', undefined)).toBe(false);
    expect(isValidCsrfToken('session-a', 'secret', `${token}x`)).toBe(false);
  });
});
