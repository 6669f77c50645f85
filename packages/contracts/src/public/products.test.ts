import { listProductsQuery } from './products';

describe('the catalog list query', () => {
  it('takes a blank text filter as absent', () => {
    const parsed = listProductsQuery.parse({ q: '   ', category: '\u00a0' });
    expect(parsed.q).toBeUndefined();
    expect(parsed.category).toBeUndefined();
  });

  it('refuses a blank filter longer than the maxLength the document gives it, as any other text', () => {
    // schemathesis sent 101 no-break spaces as `category` (maxLength 100) and got 200: the
    // blank-as-absent rule ran before the length limit.
    expect(listProductsQuery.safeParse({ category: '\u00a0'.repeat(101) }).success).toBe(false);
    expect(listProductsQuery.safeParse({ q: ' '.repeat(201) }).success).toBe(false);
    expect(listProductsQuery.safeParse({ category: '\u00a0'.repeat(100) }).success).toBe(true);
  });
});
