import { Router } from 'express';
import { listCategories } from '../../domain/list-categories';
import type { CatalogDeps } from '../../domain/ports';

/** GET /api/categories: `[{name, count}]`, by name. */
export function categoryRoutes(deps: CatalogDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json(await listCategories(deps));
  });
  return router;
}
