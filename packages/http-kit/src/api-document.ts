import { Router } from 'express';

/**
 * `GET /docs/openapi.json` for the admin listener: the service's internal API document,
 * generated from its contract (packages/contracts, the same text as the checked-in copy
 * under docs/openapi/internal/). Built on the first request, then kept.
 */
export function apiDocumentRoutes(document: () => unknown): Router {
  const router = Router();
  let text: string | undefined;
  router.get('/docs/openapi.json', (_req, res) => {
    text ??= `${JSON.stringify(document(), null, 2)}\n`;
    res.type('application/json').send(text);
  });
  return router;
}
