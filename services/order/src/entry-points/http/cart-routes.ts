import { Router } from 'express';
import { principalOf, requireAuth, validate } from '@surge/http-kit';
import { getCart, removeCartItem, setCartItem } from '../../domain/cart';
import type { CartStore, Inventory } from '../../domain/ports';
import { cartProductIdParam, setCartItemBody } from '@surge/contracts';

/** /api/cart: the caller's cart (docs/api-contract.md). */
export function cartRoutes(deps: { cart: CartStore; inventory: Inventory }): Router {
  const router = Router();
  router.use(requireAuth);

  router.get('/', async (_req, res) => {
    res.json(await getCart(deps, principalOf(res).userId));
  });

  router.put('/items/:productId', async (req, res) => {
    const productId = validate(cartProductIdParam, req.params.productId, 'product id');
    const { quantity } = validate(setCartItemBody, req.body);
    res.json(await setCartItem(deps, principalOf(res).userId, productId, quantity));
  });

  router.delete('/items/:productId', async (req, res) => {
    const productId = validate(cartProductIdParam, req.params.productId, 'product id');
    res.json(await removeCartItem(deps, principalOf(res).userId, productId));
  });

  router.delete('/', async (_req, res) => {
    await deps.cart.clear(principalOf(res).userId);
    res.status(204).end();
  });

  return router;
}
