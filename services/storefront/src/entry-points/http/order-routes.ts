import { Router, type Response } from 'express';
import { z } from 'zod';
import { ApiProblem, type ApiClient } from '../../clients/api-client';
import {
  notificationListSchema,
  orderListSchema,
  orderSchema,
  paymentListSchema,
  type Order,
} from '../../clients/api-schemas';
import type { SessionStore } from '../../data-access/session-store';
import { orderStatusText } from '../../views/format';
import {
  cartPage,
  checkoutPage,
  notificationsPage,
  orderPage,
  ordersPage,
  statusHelp,
} from '../../views/order-pages';
import { callOptions, loadCart, newIdempotencyKey, productNames } from './shop-routes';
import { pageContext, redirectWithFlash, requireSignedIn, sendPage } from './shopper';

export interface OrderDeps {
  api: ApiClient;
  store: SessionStore;
}

/** `productId:quantity;...`, as the checkout form was rendered. */
const orderLines = z
  .string()
  .max(4_000)
  .transform((value) =>
    value
      .split(';')
      .filter(Boolean)
      .map((line) => {
        const [productId, quantity] = line.split(':');
        return { productId, quantity: Number(quantity) };
      }),
  )
  .pipe(
    z
      .array(z.object({ productId: z.uuid(), quantity: z.number().int().min(1).max(100) }))
      .min(1)
      .max(100),
  );

const checkoutForm = z.object({
  idempotencyKey: z.uuid(),
  lines: orderLines,
  name: z.string().trim().min(1).max(200),
  line1: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(200),
  postalCode: z.string().trim().min(1).max(20),
  country: z.string().trim().min(2).max(56),
  card: z.enum(['tok_visa', 'tok_decline']),
});
const uuid = z.uuid();
const cursorQuery = z.object({ cursor: z.string().max(500).optional().catch(undefined) });

/** How long a checkout waits for its twin (same key, already running) to finish. */
const IN_PROGRESS_WAIT_MS = 500;
const IN_PROGRESS_ATTEMPTS = 20;

/** Checkout, order history, one order with its live status, cancel, and the inbox. */
export function orderRoutes(deps: OrderDeps): Router {
  const router = Router();
  router.use(['/checkout', '/orders', '/notifications'], requireSignedIn);

  router.get('/checkout', async (_req, res) => {
    const cart = await loadCart(deps.api, res);
    if (cart.lines.length === 0) return res.redirect(303, '/cart');
    sendPage(
      res,
      checkoutPage(await pageContext(deps.store, res), {
        cart,
        idempotencyKey: newIdempotencyKey(),
        values: {},
      }),
    );
  });

  router.post('/checkout', async (req, res) => {
    const form = checkoutForm.safeParse(req.body);
    const values = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string'),
    ) as Record<string, string>;
    const rerender = async (status: number, problem: string, keepKey: boolean) => {
      const cart = await loadCart(deps.api, res);
      const key = keepKey && form.success ? form.data.idempotencyKey : newIdempotencyKey();
      sendPage(
        res,
        checkoutPage(await pageContext(deps.store, res), { cart, idempotencyKey: key, values, problem }),
        status,
      );
    };
    if (!form.success) return rerender(400, 'Please fill in every field of the address.', true);
    const { idempotencyKey, card, lines, ...address } = form.data;
    try {
      // The lines as shown, not "whatever the cart holds now": a replay of this key is then
      // the same request (the API answers it with the first order) even after the first
      // one emptied the cart, and the shopper pays for exactly what the page showed.
      const order = await placeOrder(deps.api, res, idempotencyKey, {
        items: lines,
        shippingAddress: address,
        payment: { token: card },
      });
      if (order.status !== 'CANCELLED') await removeFromCart(deps.api, res, lines);
      if (order.status === 'CANCELLED') {
        return redirectWithFlash(deps.store, res, `/orders/${order.id}`, {
          kind: 'error',
          text: 'This order was cancelled before it was paid; nothing was charged.',
        });
      }
      const text =
        order.status === 'PAID'
          ? 'Thank you! Your order is paid.'
          : 'We have your order; payment will finish in a moment. You do not need to order again.';
      await redirectWithFlash(deps.store, res, `/orders/${order.id}`, { kind: 'info', text });
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      const { code } = error.problem;
      // A declined card cancels that order; the next attempt is a new order with a new key.
      if (code === 'PAYMENT_DECLINED')
        return rerender(402, 'Your card was declined and nothing was charged. Try another card.', false);
      if (code === 'INSUFFICIENT_STOCK') {
        const cart = await loadCart(deps.api, res);
        const problem =
          'Some products in your cart are no longer in stock in that quantity. Lower the quantity and try again.';
        return sendPage(res, cartPage(await pageContext(deps.store, res), cart, problem), 409);
      }
      if (code === 'IDEMPOTENCY_KEY_REUSED')
        return rerender(
          422,
          'This checkout form was already sent with other details; check your orders before ordering again.',
          false,
        );
      if (error.status === 400 || error.status === 422) {
        const fields = (error.problem.errors ?? []).map((field) => `${field.path ?? ''}: ${field.message}`);
        const detail = [error.problem.detail ?? 'Please check the form and try again.', ...fields].join(' ');
        return rerender(400, detail, true);
      }
      throw error;
    }
  });

  router.get('/orders', async (req, res) => {
    const { cursor } = cursorQuery.parse(req.query);
    const path = `/api/orders?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const list = await deps.api.call('GET', path, orderListSchema, callOptions(res));
    sendPage(res, ordersPage(await pageContext(deps.store, res), list.body.items, list.body.nextCursor));
  });

  router.get('/orders/:id', async (req, res, next) => {
    if (!uuid.safeParse(req.params.id).success) return next();
    const { order, payment } = await loadOrder(deps.api, res, req.params.id);
    const names = await productNames(
      deps.api,
      res,
      order.items.map((item) => item.productId),
    );
    sendPage(
      res,
      orderPage(await pageContext(deps.store, res), { order, names, payment, live: isLive(order, payment) }),
    );
  });

  /** What the order page's script polls: JSON, no page around it. */
  router.get('/orders/:id/status', async (req, res, next) => {
    if (!uuid.safeParse(req.params.id).success) return next();
    const { order, payment } = await loadOrder(deps.api, res, req.params.id);
    res.set('cache-control', 'no-store').json({
      status: order.status,
      statusText: orderStatusText(order.status),
      help: statusHelp(order),
      payment,
      live: isLive(order, payment),
    });
  });

  router.post('/orders/:id/cancel', async (req, res, next) => {
    if (!uuid.safeParse(req.params.id).success) return next();
    try {
      await deps.api.call('POST', `/api/orders/${req.params.id}/cancel`, orderSchema, callOptions(res));
    } catch (error) {
      if (error instanceof ApiProblem && (error.status === 409 || error.status === 400)) {
        return redirectWithFlash(deps.store, res, `/orders/${req.params.id}`, {
          kind: 'error',
          text: 'This order cannot be cancelled any more.',
        });
      }
      throw error;
    }
    await redirectWithFlash(deps.store, res, `/orders/${req.params.id}`, {
      kind: 'info',
      text: 'Order cancelled. If it was paid, the refund is on its way.',
    });
  });

  router.get('/notifications', async (req, res) => {
    const { cursor } = cursorQuery.parse(req.query);
    const path = `/api/notifications?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const list = await deps.api.call('GET', path, notificationListSchema, callOptions(res));
    sendPage(
      res,
      notificationsPage(await pageContext(deps.store, res), list.body.items, list.body.nextCursor),
    );
  });

  return router;
}

/**
 * POST /api/orders with the key the form was rendered with: the API answers a replay
 * with the first order, so a double click or a resent form places one order. While the
 * twin request is still running (409 REQUEST_IN_PROGRESS), wait for its answer.
 */
async function placeOrder(api: ApiClient, res: Response, key: string, body: unknown): Promise<Order> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const answer = await api.call('POST', '/api/orders', orderSchema, {
        ...callOptions(res),
        headers: { 'idempotency-key': key },
        body,
      });
      return answer.body;
    } catch (error) {
      const inProgress = error instanceof ApiProblem && error.problem.code === 'REQUEST_IN_PROGRESS';
      if (!inProgress || attempt >= IN_PROGRESS_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, IN_PROGRESS_WAIT_MS));
    }
  }
}

/** Takes what was ordered out of the cart (idempotent: a replay removes nothing more). */
async function removeFromCart(
  api: ApiClient,
  res: Response,
  lines: Array<{ productId: string }>,
): Promise<void> {
  const call = callOptions(res);
  await Promise.all(
    lines.map((line) => api.send('DELETE', `/api/cart/items/${line.productId}`, call).catch(() => undefined)),
  );
}

const PAYMENT_TEXT: Record<string, string> = {
  CAPTURED: 'Captured',
  REFUNDED: 'Refunded',
  DECLINED: 'Declined',
};

async function loadOrder(
  api: ApiClient,
  res: Response,
  id: string,
): Promise<{ order: Order; payment: string | undefined }> {
  const call = callOptions(res);
  const [order, payments] = await Promise.all([
    api.call('GET', `/api/orders/${id}`, orderSchema, call),
    api.call('GET', `/api/payments?orderId=${id}`, paymentListSchema, call).catch(() => undefined),
  ]);
  // Newest first; an order has one payment (order_id is unique in the payment service).
  const latest = payments?.body.items[0]?.status;
  return { order: order.body, payment: latest ? (PAYMENT_TEXT[latest] ?? latest) : undefined };
}

/** Still moving: payment pending, or cancelled after a capture whose refund has not landed. */
function isLive(order: Order, payment: string | undefined): boolean {
  return (
    order.status === 'PENDING' ||
    order.status === 'PAYMENT_PENDING' ||
    (order.status === 'CANCELLED' && payment === 'Captured')
  );
}
