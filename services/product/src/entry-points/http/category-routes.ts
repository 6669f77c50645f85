import { Router } from 'express';
import { listCategories } from '../../domain/list-categories';
import type { CatalogDeps } from '../../domain/ports';
import { markStale } from './stale-answer';

/** GET /api/categories: `[{name, count}]`, by name. */
export function categoryRoutes(deps: CatalogDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const categories = await listCategories(deps);
    markStale(res, categories.stale);
    res.json(categories.value);
  });
  return router;
}
