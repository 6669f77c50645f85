import { Router } from 'express';
import { principalOf, requireAuth, validate } from '@surge/http-kit';
import { listPayments } from '../../domain/list-payments';
import type { PaymentStore } from '../../domain/ports';
import { listPaymentsQuery } from '@surge/contracts';

/** GET /api/payments?orderId= (docs/api-contract.md): the caller's own payments, behind a verified token. */
export function paymentRoutes(deps: { payments: PaymentStore }): Router {
  const router = Router();
  router.use(requireAuth);

  router.get('/', async (req, res) => {
    const query = validate(listPaymentsQuery, req.query, 'query');
    const filter = query.orderId === undefined ? {} : { orderId: query.orderId };
    res.set('cache-control', 'no-store').json(await listPayments(deps, principalOf(res), filter));
  });

  return router;
}
