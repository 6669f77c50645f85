import { isReplayable } from './retry-policy';

describe('which requests may be sent to a second instance', () => {
  it.each(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])('%s, idempotent by definition', (method) => {
    expect(isReplayable(method, {})).toBe(true);
  });

  it('a POST that carries an Idempotency-Key', () => {
    expect(isReplayable('POST', { 'idempotency-key': 'order-42-attempt' })).toBe(true);
  });

  it('not a POST without one, or with a blank one', () => {
    expect(isReplayable('POST', {})).toBe(false);
    expect(isReplayable('POST', { 'idempotency-key': '  ' })).toBe(false);
  });

  it('not a PATCH, even with a key: only POSTs are deduplicated by key', () => {
    expect(isReplayable('PATCH', { 'idempotency-key': 'k-12345678' })).toBe(false);
  });
});
