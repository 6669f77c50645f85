import { Router } from 'express';
import { ValidationError } from '@surge/errors';
import { principalOf, requireAuth, validate } from '@surge/http-kit';
import { cancelOrder, findVisibleOrder } from '../../domain/cancel-order';
import { toOrderView } from '../../domain/order';
import { placeOrder } from '../../domain/place-order';
import type { CartStore } from '../../domain/ports';
import type { SagaDeps } from '../../domain/saga-deps';
import { sendCheckoutAnswer } from './checkout-answer';
import { idempotencyKey, listOrdersQuery, orderCursor, orderIdParam, placeOrderBody } from '@surge/contracts';

/** /api/orders: checkout, the caller's orders, cancel (docs/api-contract.md). */
export function orderRoutes(deps: SagaDeps & { cart: CartStore }): Router {
  const router = Router();
  router.use(requireAuth);

  router.post('/', async (req, res) => {
    const key = req.header('idempotency-key');
    if (key === undefined) {
      throw new ValidationError('The Idempotency-Key header is required', [
        { path: 'Idempotency-Key', message: 'required' },
      ]);
    }
    const body = validate(placeOrderBody, req.body);
    const outcome = await placeOrder(deps, {
      userId: principalOf(res).userId,
      idempotencyKey: validate(idempotencyKey, key, 'Idempotency-Key header'),
      body: {
        ...(body.items ? { items: body.items } : {}),
        shippingAddress: body.shippingAddress,
        payment: body.payment,
      },
    });
    sendCheckoutAnswer(res, outcome);
  });

  router.get('/', async (req, res) => {
    const query = validate(listOrdersQuery, req.query, 'query');
    const rows = await deps.store.listByUser(principalOf(res).userId, query.limit + 1, query.cursor);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    res.json({
      items: page.map((row) => toOrderView(row.order)),
      nextCursor: rows.length > query.limit && last ? orderCursor.encode(last.position) : null,
    });
  });

  router.get('/:id', async (req, res) => {
    const id = validate(orderIdParam, req.params.id, 'order id');
    res.json(toOrderView(await findVisibleOrder(deps, principalOf(res), id)));
  });

  router.post('/:id/cancel', async (req, res) => {
    const id = validate(orderIdParam, req.params.id, 'order id');
    res.json(await cancelOrder(deps, principalOf(res), id));
  });

  return router;
}
