import { cachedProductText, publicTextOf } from './catalog-cache';
import { toPublicProduct, type Product } from '../domain/product';

const product = (changes: Partial<Product> = {}): Product => ({
  id: '0b5d6f7e-9a1c-4b2d-8e3f-1a2b3c4d5e6f',
  sku: 'SKU-1',
  name: 'Lamp',
  description: 'A lamp',
  category: 'home',
  priceCents: 2500,
  currency: 'USD',
  stock: 3,
  version: 12,
  updatedAt: '2026-12-08T00:00:00.000Z',
  ...changes,
});

describe('the cached text of a product', () => {
  it.each([
    ['a plain product', product()],
    ['text that looks like the version member', product({ description: 'ends with ,"version":1}' })],
    ['quotes, backslashes and non-ASCII', product({ name: 'Ŝtar "lamp" \\ 💡', description: '\n\t\u2028' })],
    ['version 0', product({ version: 0 })],
  ])('parses back to the product, and cuts to its public JSON text: %s', (_label, value) => {
    const text = cachedProductText(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(publicTextOf(text)).toBe(JSON.stringify(toPublicProduct(value)));
  });

  it('reads a text an older release wrote, with its members in another order', () => {
    const value = product();
    const { version, updatedAt, ...rest } = value;
    expect(publicTextOf(JSON.stringify({ ...rest, version, updatedAt }))).toBe(
      JSON.stringify(toPublicProduct(value)),
    );
  });
});
