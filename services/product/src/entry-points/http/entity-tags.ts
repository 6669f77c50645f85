import type { Product } from '../../domain/product';

/**
 * A strong ETag from the product's version: every visible change (stock included) bumps
 * the version, so equal tags mean an identical representation.
 */
export function entityTag(product: Pick<Product, 'version'>): string {
  return `"v${product.version}"`;
}

/** If-None-Match: `*` or a list of tags; compared weakly (RFC 9110 13.1.2), as GET allows. */
export function matchesEntityTag(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (value: string) => value.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => opaque(candidate) === opaque(tag));
}
