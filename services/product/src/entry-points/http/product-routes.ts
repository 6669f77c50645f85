import { Router, type Request } from 'express';
import { requireRole, validate } from '@surge/http-kit';
import { NotFoundError } from '@surge/errors';
import { createProduct } from '../../domain/create-product';
import { getProduct } from '../../domain/get-product';
import { listProducts } from '../../domain/list-products';
import type { CatalogDeps } from '../../domain/ports';
import { toPublicProduct, type ProductChanges } from '../../domain/product';
import { updateProduct } from '../../domain/update-product';
import { entityTag, matchesEntityTag } from './entity-tags';
import { createProductBody, listProductsQuery, productIdParam, updateProductBody } from '@surge/contracts';
import { markStale } from './stale-answer';

/** GET, POST /api/products and GET, PATCH /api/products/:id (docs/api-contract.md "Catalog"). */
export function productRoutes(deps: CatalogDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = validate(listProductsQuery, req.query, 'query string');
    const { q, category, minPrice, maxPrice, limit, cursor } = query;
    const page = await listProducts(deps, { filters: { q, category, minPrice, maxPrice }, limit, cursor });
    markStale(res, page.stale);
    if ('itemsJson' in page.value) {
      // A warm page, its products already JSON text: the same bytes res.json would write.
      const { itemsJson, nextCursor } = page.value;
      res.type('json').send(`{"items":${itemsJson},"nextCursor":${JSON.stringify(nextCursor)}}`);
      return;
    }
    res.json(page.value);
  });

  router.get('/:id', async (req, res) => {
    const { value: product, stale } = await getProduct(deps, productIdOf(req));
    const tag = entityTag(product);
    // no-cache: clients and proxies may store it, but revalidate (cheaply, with the ETag).
    res.set({ etag: tag, 'cache-control': 'no-cache' });
    markStale(res, stale);
    if (matchesEntityTag(req.header('if-none-match'), tag)) {
      res.status(304).end();
      return;
    }
    res.json(toPublicProduct(product));
  });

  router.post('/', requireRole('admin'), async (req, res) => {
    const body = validate(createProductBody, req.body);
    const product = await createProduct(deps, body);
    res
      .status(201)
      .location(`/api/products/${product.id}`)
      .set('etag', entityTag(product))
      .json(toPublicProduct(product));
  });

  router.patch('/:id', requireRole('admin'), async (req, res) => {
    const id = productIdOf(req);
    const body = validate(updateProductBody, req.body);
    const changes = Object.fromEntries(
      Object.entries(body).filter(([, value]) => value !== undefined),
    ) as ProductChanges;
    const product = await updateProduct(deps, id, changes);
    res.set('etag', entityTag(product)).json(toPublicProduct(product));
  });

  return router;
}

/** An id that is not a UUID names no product: 404, as for any unknown id. */
function productIdOf(req: Request): string {
  const parsed = productIdParam.safeParse(req.params.id);
  if (!parsed.success) throw new NotFoundError('Product');
  return parsed.data;
}
