import { createHash } from 'node:crypto';
import { ADJECTIVES, CATEGORIES, CLAIMS, FINISHES } from './catalog-data';
import type { NewProduct } from './product';

/**
 * The deterministic development catalog: product i depends only on (seed, i), so every
 * run, machine and catalog size produces the same products, and a bigger catalog
 * extends a smaller one. Categories take turns, so every size has all of them.
 */
export const DEFAULT_CATALOG_SEED = 20_251_128;

/** mulberry32: a tiny, well-distributed 32-bit PRNG; plenty for sample data. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A stable UUID (version 5 layout) from the sku, so seeded ids are the same everywhere. */
export function seededId(sku: string): string {
  const bytes = createHash('sha256').update(`surge-catalog:${sku}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function generateProduct(index: number, seed = DEFAULT_CATALOG_SEED): NewProduct {
  const random = mulberry32(seed ^ Math.imul(index + 1, 0x9e3779b1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const category = CATEGORIES[index % CATEGORIES.length]!;
  const [adjective, finish, noun] = [pick(ADJECTIVES), pick(FINISHES), pick(category.nouns)];
  const model = `${category.code[0]}${100 + Math.floor(random() * 900)}`;
  const [low, high] = category.dollars;
  const dollars = low + Math.floor(random() * (high - low));
  // One product in twenty is sold out, so out-of-stock paths show up in development.
  const stock = random() < 0.05 ? 0 : 1 + Math.floor(random() * 250);
  const sku = `SEED-${category.code}-${String(index).padStart(6, '0')}`;
  return {
    id: seededId(sku),
    sku,
    name: `${adjective} ${finish} ${noun} ${model}`,
    description: `${/^[AEIOU]/.test(adjective) ? 'An' : 'A'} ${adjective.toLowerCase()} ${noun.toLowerCase()} in ${finish.toLowerCase()}, ${pick(CLAIMS)}.`,
    category: category.name,
    priceCents: dollars * 100 + 99,
    currency: 'USD',
    stock,
  };
}

export function generateCatalog(size: number, seed = DEFAULT_CATALOG_SEED): NewProduct[] {
  return Array.from({ length: size }, (_, index) => generateProduct(index, seed));
}
