import { Router, type Request } from 'express';
import {
  commitReservationRoute,
  lookupProductsRoute,
  releaseReservationRoute,
  reserveStockRoute,
  type RouteAnswerBody,
} from '@surge/contracts';
import { allowCallers, validate } from '@surge/http-kit';
import { commitReservation } from '../../domain/commit-reservation';
import { findProductsByIds } from '../../domain/find-products';
import type { CatalogDeps, InventoryStore } from '../../domain/ports';
import { releaseReservation } from '../../domain/release-reservation';
import { reserveStock } from '../../domain/reserve-stock';

/**
 * docs/internal-apis.md, product service; the requests and answers are the contract in
 * packages/contracts/src/internal/product-api.ts (its OpenAPI document is generated from
 * it). The gateway never routes /internal; in compose and Kubernetes only the internal
 * network reaches it, and every request carries a service token for `product` (checked
 * by requireServiceToken where this router is mounted). Each route names the services
 * allowed to call it (docs/security.md), as its contract lists them.
 */
export function internalRoutes(deps: CatalogDeps & { inventory: InventoryStore }): Router {
  const router = Router();

  // Prices for a cart in one call; unknown ids are simply absent.
  router.post('/products/lookup', allowCallers(...lookupProductsRoute.callers), async (req, res) => {
    const { ids } = validate(lookupProductsRoute.body, req.body);
    const products = await findProductsByIds(deps, ids);
    const answer: RouteAnswerBody<typeof lookupProductsRoute, 200> = {
      items: products.map(({ id, sku, name, priceCents, currency, stock }) => ({
        id,
        sku,
        name,
        priceCents,
        currency,
        stock,
      })),
    };
    res.json(answer);
  });

  // 201 while the reservation is RESERVED (first call and repeats); 200 with the current
  // status once it was committed or released.
  router.post('/reservations', allowCallers(...reserveStockRoute.callers), async (req, res) => {
    const body = validate(reserveStockRoute.body, req.body);
    const reservation = await reserveStock(deps, body);
    res.status(reservation.status === 'RESERVED' ? 201 : 200).json(reservation);
  });

  router.post(
    '/reservations/:orderId/commit',
    allowCallers(...commitReservationRoute.callers),
    async (req, res) => {
      const answer: RouteAnswerBody<typeof commitReservationRoute, 200> = await commitReservation(
        deps,
        orderIdOf(req),
      );
      res.json(answer);
    },
  );

  router.post(
    '/reservations/:orderId/release',
    allowCallers(...releaseReservationRoute.callers),
    async (req, res) => {
      const answer: RouteAnswerBody<typeof releaseReservationRoute, 200> = await releaseReservation(
        deps,
        orderIdOf(req),
      );
      res.json(answer);
    },
  );

  return router;
}

function orderIdOf(req: Request): string {
  return validate(commitReservationRoute.params, req.params, 'order id').orderId;
}
