import { Router } from 'express';
import { principalOf, requireAuth, validate } from '@surge/http-kit';
import { listPayments } from '../../domain/list-payments';
import type { PaymentStore } from '../../domain/ports';
import { listPaymentsQuery, paymentCursor } from '@surge/contracts';

/** GET /api/payments?orderId=&limit=&cursor= (docs/api-contract.md): a page of the caller's own payments, behind a verified token. */
export function paymentRoutes(deps: { payments: PaymentStore }): Router {
  const router = Router();
  router.use(requireAuth);

  router.get('/', async (req, res) => {
    const query = validate(listPaymentsQuery, req.query, 'query');
    const page = await listPayments(deps, principalOf(res), {
      limit: query.limit,
      ...(query.orderId === undefined ? {} : { orderId: query.orderId }),
      ...(query.cursor === undefined ? {} : { after: query.cursor }),
    });
    res.set('cache-control', 'no-store').json({
      items: page.items,
      nextCursor: page.next ? paymentCursor.encode(page.next) : null,
    });
  });

  return router;
}
