import { ConflictError, NotFoundError, ValidationError } from '@surge/errors';
import type { CartStore, Inventory, ProductInfo } from './ports';

export const MAX_CART_LINES = 50;
const DEFAULT_CURRENCY = 'USD';

export interface CartLineView {
  productId: string;
  quantity: number;
  /** Today's price in the currency's minor unit (cents for USD, yen for JPY). */
  priceCents: number;
  currency: string;
}

export interface CartView {
  items: CartLineView[];
  /**
   * The sum of the lines, in `currency`'s minor unit. Null (with `currency` null) only
   * when the lines are in more than one currency, which happens when a product changed
   * currency after it was put in the cart: such a sum would add yen to cents. Checkout
   * then answers 409 CURRENCY_MISMATCH until the customer removes a line.
   */
  totalCents: number | null;
  currency: string | null;
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
  const products = await productsById(deps.inventory, [...lines.keys()]);
  const items = [...lines]
    .filter(([productId]) => products.has(productId))
    .map(([productId, quantity]) => {
      const product = products.get(productId)!;
      return { productId, quantity, priceCents: product.priceCents, currency: product.currency };
    });
  const currencies = new Set(items.map((line) => line.currency));
  if (currencies.size > 1) return { items, totalCents: null, currency: null };
  return {
    items,
    totalCents: items.reduce((sum, line) => sum + line.priceCents * line.quantity, 0),
    currency: items[0]?.currency ?? DEFAULT_CURRENCY,
  };
}

/**
 * Sets a line's quantity; the product must exist (404 otherwise) and be priced in the
 * cart's currency (409 CURRENCY_MISMATCH otherwise, nothing written): a cart, like the
 * order it becomes, holds one currency.
 */
export async function setCartItem(
  deps: { cart: CartStore; inventory: Inventory },
  userId: string,
  productId: string,
  quantity: number,
): Promise<CartView> {
  const lines = await deps.cart.get(userId);
  const products = await productsById(deps.inventory, [productId, ...lines.keys()]);
  const product = products.get(productId);
  if (!product) throw new NotFoundError('Product');
  const others = [...lines.keys()].filter((id) => id !== productId && products.has(id));
  const clashing = others.filter((id) => products.get(id)!.currency !== product.currency);
  if (clashing.length > 0) {
    throw new ConflictError(
      'CURRENCY_MISMATCH',
      `The product is priced in ${product.currency}; the cart holds products in another currency`,
      {
        details: {
          productId,
          currency: product.currency,
          currencies: Object.fromEntries(clashing.map((id) => [id, products.get(id)!.currency])),
        },
      },
    );
  }
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

async function productsById(inventory: Inventory, ids: string[]): Promise<Map<string, ProductInfo>> {
  const unique = [...new Set(ids)];
  return new Map((await inventory.lookup(unique)).map((product) => [product.id, product]));
}
