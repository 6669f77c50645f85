import { Router, type Request } from 'express';
import { allowCallers, validate } from '@surge/http-kit';
import { commitReservation } from '../../domain/commit-reservation';
import { findProductsByIds } from '../../domain/find-products';
import type { CatalogDeps, InventoryStore } from '../../domain/ports';
import { releaseReservation } from '../../domain/release-reservation';
import { reserveStock } from '../../domain/reserve-stock';
import { lookupBody, reserveBody, uuid } from './schemas';

/**
 * docs/internal-apis.md, product service. The gateway never routes /internal; in compose
 * and Kubernetes only the internal network reaches it, and every request carries a
 * service token for `product` (checked by requireServiceToken where this router is
 * mounted). Each route names the services allowed to call it (docs/security.md).
 */
export function internalRoutes(deps: CatalogDeps & { inventory: InventoryStore }): Router {
  const router = Router();

  // Prices for a cart in one call; unknown ids are simply absent.
  router.post('/products/lookup', allowCallers('order'), async (req, res) => {
    const { ids } = validate(lookupBody, req.body);
    const products = await findProductsByIds(deps, ids);
    res.json({
      items: products.map(({ id, sku, name, priceCents, currency, stock }) => ({
        id,
        sku,
        name,
        priceCents,
        currency,
        stock,
      })),
    });
  });

  // 201 while the reservation is RESERVED (first call and repeats); 200 with the current
  // status once it was committed or released.
  router.post('/reservations', allowCallers('order'), async (req, res) => {
    const body = validate(reserveBody, req.body);
    const reservation = await reserveStock(deps, body);
    res.status(reservation.status === 'RESERVED' ? 201 : 200).json(reservation);
  });

  router.post('/reservations/:orderId/commit', allowCallers('order'), async (req, res) => {
    res.json(await commitReservation(deps, orderIdOf(req)));
  });

  router.post('/reservations/:orderId/release', allowCallers('order'), async (req, res) => {
    res.json(await releaseReservation(deps, orderIdOf(req)));
  });

  return router;
}

function orderIdOf(req: Request): string {
  return validate(uuid, req.params.orderId, 'order id');
}
