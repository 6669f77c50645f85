import { generateCatalog, generateProduct, mulberry32, seededId } from './catalog-generator';

describe('the development catalog generator', () => {
  it('is deterministic: the same size and seed give the same products', () => {
    expect(generateCatalog(50)).toEqual(generateCatalog(50));
    expect(generateProduct(7)).toEqual(generateProduct(7));
  });

  it('extends a smaller catalog instead of reshuffling it', () => {
    expect(generateCatalog(1_500).slice(0, 1_000)).toEqual(generateCatalog(1_000));
  });

  it('changes with the seed', () => {
    expect(generateProduct(3, 1)).not.toEqual(generateProduct(3, 2));
  });

  it('has at least 1,000 valid products in at least 10 categories, with unique skus and ids', () => {
    const catalog = generateCatalog(1_200);
    expect(new Set(catalog.map((product) => product.category)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(catalog.map((product) => product.sku)).size).toBe(1_200);
    expect(new Set(catalog.map((product) => product.id)).size).toBe(1_200);
    for (const product of catalog) {
      expect(product.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(product.priceCents).toBeGreaterThan(0);
      expect(Number.isInteger(product.stock) && product.stock >= 0).toBe(true);
      expect(product.name.length).toBeLessThanOrEqual(200);
    }
  });

  it('derives ids from skus', () => {
    expect(seededId('SEED-BOOK-000001')).toBe(seededId('SEED-BOOK-000001'));
    expect(seededId('SEED-BOOK-000001')).not.toBe(seededId('SEED-BOOK-000002'));
  });

  it('draws from a repeatable PRNG in [0, 1)', () => {
    const [a, b] = [mulberry32(42), mulberry32(42)];
    const draws = Array.from({ length: 1_000 }, () => a());
    expect(draws).toEqual(Array.from({ length: 1_000 }, () => b()));
    expect(draws.every((value) => value >= 0 && value < 1)).toBe(true);
  });
});
