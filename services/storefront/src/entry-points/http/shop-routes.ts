import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { ApiProblem, type ApiClient } from '../../clients/api-client';
import { cartSchema, categoriesSchema, productListSchema, productSchema } from '../../clients/api-schemas';
import type { SessionStore } from '../../data-access/session-store';
import { catalogPage, productPage } from '../../views/catalog-pages';
import { cartPage, type CartView } from '../../views/order-pages';
import {
  pageContext,
  redirectWithFlash,
  requireSignedIn,
  sendPage,
  shopperOf,
  signedInSession,
} from './shopper';

export interface ShopDeps {
  api: ApiClient;
  store: SessionStore;
}

const PAGE_SIZE = 12;
const catalogQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  category: z.string().trim().max(100).optional().catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
});
const uuid = z.uuid();
const cartForm = z.object({
  productId: z.uuid(),
  quantity: z.coerce.number().int().min(1).max(100),
  mode: z.enum(['add', 'set']).default('add'),
});

/** The request id and, when signed in, the token: every API call of a page carries both. */
export function callOptions(res: Response): { token: string | undefined; requestId: string } {
  return { token: shopperOf(res).session?.accessToken, requestId: String(res.locals.requestId ?? '') };
}

/** The catalog (search, category, cursor paging), product pages and the cart. */
export function shopRoutes(deps: ShopDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = catalogQuery.parse(req.query);
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (query.q) params.set('q', query.q);
    if (query.category) params.set('category', query.category);
    if (query.cursor) params.set('cursor', query.cursor);
    const call = callOptions(res);
    const [products, categories] = await Promise.all([
      deps.api.call('GET', `/api/products?${params.toString()}`, productListSchema, call),
      deps.api.call('GET', '/api/categories', categoriesSchema, call).catch(() => undefined),
    ]);
    const page = catalogPage(await pageContext(deps.store, res), {
      products: products.body.items,
      categories: categories?.body ?? [],
      query: query.q ?? '',
      category: query.category ?? '',
      nextCursor: products.body.nextCursor,
      stale: products.stale || categories?.stale === true,
    });
    sendPage(res, page);
  });

  router.get('/products/:id', async (req, res, next) => {
    if (!uuid.safeParse(req.params.id).success) return next();
    const answer = await deps.api.call(
      'GET',
      `/api/products/${req.params.id}`,
      productSchema,
      callOptions(res),
    );
    sendPage(res, productPage(await pageContext(deps.store, res), answer.body, answer.stale));
  });

  router.get('/cart', requireSignedIn, async (_req, res) => {
    sendPage(res, cartPage(await pageContext(deps.store, res), await loadCart(deps.api, res)));
  });

  router.post('/cart/items', async (req, res) => {
    const form = cartForm.safeParse(req.body);
    if (!form.success) {
      return redirectWithFlash(deps.store, res, '/cart', {
        kind: 'error',
        text: 'Choose a quantity from 1 to 100.',
      });
    }
    if (!shopperOf(res).session) {
      return redirectWithFlash(
        deps.store,
        res,
        `/login?next=${encodeURIComponent(`/products/${form.data.productId}`)}`,
        {
          kind: 'info',
          text: 'Sign in to fill your cart.',
        },
      );
    }
    const call = callOptions(res);
    let quantity = form.data.quantity;
    if (form.data.mode === 'add') {
      const cart = await deps.api.call('GET', '/api/cart', cartSchema, call);
      const current = cart.body.items.find((item) => item.productId === form.data.productId)?.quantity ?? 0;
      quantity = Math.min(100, current + quantity);
    }
    try {
      await deps.api.call('PUT', `/api/cart/items/${form.data.productId}`, cartSchema, {
        ...call,
        body: { quantity },
      });
    } catch (error) {
      if (error instanceof ApiProblem && error.status < 500 && error.status !== 429 && error.status !== 401) {
        return redirectWithFlash(deps.store, res, '/cart', {
          kind: 'error',
          text: 'That product could not be added: it may be gone, or the quantity is too large.',
        });
      }
      throw error;
    }
    await redirectWithFlash(deps.store, res, '/cart', {
      kind: 'info',
      text: form.data.mode === 'add' ? 'Added to your cart.' : 'Cart updated.',
    });
  });

  router.post('/cart/items/:id/remove', requireSignedIn, async (req, res, next) => {
    if (!uuid.safeParse(req.params.id).success) return next();
    await deps.api.send('DELETE', `/api/cart/items/${req.params.id}`, callOptions(res));
    await redirectWithFlash(deps.store, res, '/cart', { kind: 'info', text: 'Removed from your cart.' });
  });

  return router;
}

/** The cart with product names (the cart API keeps ids and prices only). */
export async function loadCart(api: ApiClient, res: Response): Promise<CartView> {
  const call = callOptions(res);
  signedInSession(res);
  const cart = await api.call('GET', '/api/cart', cartSchema, call);
  const names = await productNames(
    api,
    res,
    cart.body.items.map((item) => item.productId),
  );
  return {
    lines: cart.body.items.map((item) => ({ ...item, name: names[item.productId] ?? 'Product' })),
    totalCents: cart.body.totalCents,
    currency: cart.body.currency,
  };
}

/** Names for product ids; one that cannot be read right now keeps a plain label. */
export async function productNames(
  api: ApiClient,
  res: Response,
  ids: string[],
): Promise<Record<string, string>> {
  const call = callOptions(res);
  const entries = await Promise.all(
    [...new Set(ids)].map(async (id) => {
      try {
        return [id, (await api.call('GET', `/api/products/${id}`, productSchema, call)).body.name] as const;
      } catch {
        return [id, 'Product'] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

export const newIdempotencyKey = (): string => randomUUID();
