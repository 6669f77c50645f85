import { NotFoundError, ValidationError } from '@surge/errors';
import type { CartStore, Inventory } from './ports';

export const MAX_CART_LINES = 50;
const DEFAULT_CURRENCY = 'USD';

export interface CartView {
  items: Array<{ productId: string; quantity: number; priceCents: number }>;
  totalCents: number;
  currency: string;
}

/**
 * The cart with current prices, from one batch lookup at the product service (never one
 * call per item). Products that no longer exist are left out.
 */
export async function getCart(
  deps: { cart: CartStore; inventory: Inventory },
  userId: string,
): Promise<CartView> {
  const lines = await deps.cart.get(userId);
  if (lines.size === 0) return { items: [], totalCents: 0, currency: DEFAULT_CURRENCY };
  const products = new Map(
    (await deps.inventory.lookup([...lines.keys()])).map((product) => [product.id, product]),
  );
  const items = [...lines]
    .filter(([productId]) => products.has(productId))
    .map(([productId, quantity]) => ({
      productId,
      quantity,
      priceCents: products.get(productId)!.priceCents,
    }));
  const currency = products.values().next().value?.currency ?? DEFAULT_CURRENCY;
  return {
    items,
    totalCents: items.reduce((sum, line) => sum + line.priceCents * line.quantity, 0),
    currency,
  };
}

/** Sets a line's quantity; the product must exist (404 otherwise). */
export async function setCartItem(
  deps: { cart: CartStore; inventory: Inventory },
  userId: string,
  productId: string,
  quantity: number,
): Promise<CartView> {
  const [product] = await deps.inventory.lookup([productId]);
  if (!product) throw new NotFoundError('Product');
  const lines = await deps.cart.get(userId);
  if (!lines.has(productId) && lines.size >= MAX_CART_LINES) {
    throw new ValidationError(`A cart holds at most ${MAX_CART_LINES} different products`, [
      { path: 'productId', message: 'cart is full' },
    ]);
  }
  await deps.cart.set(userId, productId, quantity);
  return getCart(deps, userId);
}

export async function removeCartItem(
  deps: { cart: CartStore; inventory: Inventory },
  userId: string,
  productId: string,
): Promise<CartView> {
  await deps.cart.remove(userId, productId);
  return getCart(deps, userId);
}
