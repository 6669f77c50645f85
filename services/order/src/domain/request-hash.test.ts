import { hashRequest } from './request-hash';

describe('hashRequest', () => {
  it('ignores key order and undefined members', () => {
    expect(hashRequest({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(
      hashRequest({ b: { d: 'x', c: [1, 2] }, a: 1, e: undefined }),
    );
  });

  it('tells different values and different array orders apart', () => {
    expect(hashRequest({ a: 1 })).not.toBe(hashRequest({ a: 2 }));
    expect(hashRequest({ a: [1, 2] })).not.toBe(hashRequest({ a: [2, 1] }));
  });
});
