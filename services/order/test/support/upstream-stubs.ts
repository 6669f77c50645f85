import { randomUUID } from 'node:crypto';
import {
  cancelPaymentRoute,
  chargePaymentRoute,
  commitReservationRoute,
  COMMON_ANSWERS,
  lookupProductsRoute,
  refundPaymentRoute,
  releaseReservationRoute,
  reserveStockRoute,
  SERVICE_AUTH_ANSWERS,
  stubAnswer,
} from '@surge/contracts';
import {
  readStubBody as readJson,
  sendStubAnswer as send,
  startStubServer,
  stubProblem as problem,
  stubRequest as requestOf,
} from '@surge/testing';

/**
 * Stand-ins for the product and payment services, speaking their internal API as its
 * contract has it (packages/contracts/src/internal), on @surge/testing's stub server:
 * every request is parsed with the route's schema and every answer built with stubAnswer,
 * which checks it against the route's schema for its status. A stub that drifts from the
 * contract fails the test loudly instead of teaching the client a shape the service never
 * answers. They are other services, not infrastructure: a stub lets a test put the saga in
 * every branch on purpose (lost responses, outages, deadlines).
 */
export interface StubServer {
  url: string;
  /** The Authorization header of every request that reached the stub, in order. */
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

const unauthorized = () =>
  ({ status: 401, body: SERVICE_AUTH_ANSWERS[401].body.parse(problem(401, 'INVALID_TOKEN')) }) as const;
const unavailable = () =>
  ({ status: 503, body: COMMON_ANSWERS[503].body.parse(problem(503, 'DEPENDENCY_UNAVAILABLE')) }) as const;

// ---- product --------------------------------------------------------------------

export interface StubProduct {
  id: string;
  priceCents: number;
  /** ISO 4217; a test may change it to play a product re-priced in another currency. */
  currency: string;
  stock: number;
  reserved: number;
  sold: number;
}

export interface ProductStub extends StubServer {
  products: Map<string, StubProduct>;
  reservations: Map<string, { status: string; items: Array<{ productId: string; quantity: number }> }>;
  addProduct(priceCents: number, stock: number, currency?: string): StubProduct;
  down: boolean;
  /** This many next requests are answered 401, as a callee refusing the caller's token would. */
  refuseTokens: number;
  /** Runs after a new reservation is made, before it is answered (e.g. to cut the order database off). */
  afterReserve?: () => Promise<void>;
  /**
   * Breaks the contract on purpose: a new reservation is made, then answered 201 with its
   * lines in two currencies (the shape an older product service answered), which the
   * contract refuses; the client must read it as UPSTREAM_CONTRACT_VIOLATION.
   */
  mixedCurrencyReservation: boolean;
}

export async function startProductStub(): Promise<ProductStub> {
  const products = new Map<string, StubProduct>();
  const reservations: ProductStub['reservations'] = new Map();
  const stub = {
    down: false,
    mixedCurrencyReservation: false,
    refuseTokens: 0,
    authorizations: [] as Array<string | undefined>,
  } as ProductStub;
  const { url, close } = await startStubServer(async (req, res) => {
    if (stub.down) return void res.destroy();
    stub.authorizations.push(req.headers.authorization);
    if (stub.refuseTokens > 0) {
      stub.refuseTokens -= 1;
      return send(res, unauthorized());
    }
    const path = req.url ?? '';
    const json = await readJson(req);
    if (path === lookupProductsRoute.path) {
      const { ids } = requestOf(lookupProductsRoute, json);
      const items = ids.flatMap((id) => {
        const product = products.get(id);
        if (!product) return [];
        const { priceCents, currency, stock } = product;
        return [{ id, sku: `SKU-${id.slice(0, 8)}`, name: 'Stub', priceCents, currency, stock }];
      });
      return send(res, stubAnswer(lookupProductsRoute, 200, { items }));
    }
    if (path === reserveStockRoute.path) {
      const { orderId, items: lines } = requestOf(reserveStockRoute, json);
      const existing = reservations.get(orderId);
      if (existing) {
        const body = reservationBody(products, orderId, existing.items);
        return send(
          res,
          existing.status === 'RESERVED'
            ? stubAnswer(reserveStockRoute, 201, { ...body, status: 'RESERVED' })
            : stubAnswer(reserveStockRoute, 200, {
                ...body,
                status: existing.status as 'COMMITTED' | 'RELEASED' | 'RETURNED',
              }),
        );
      }
      const unknown = lines.filter((line) => !products.has(line.productId)).map((line) => line.productId);
      if (unknown.length)
        return send(
          res,
          stubAnswer(reserveStockRoute, 404, problem(404, 'NOT_FOUND', { productIds: unknown })),
        );
      const short = lines
        .filter((line) => products.get(line.productId)!.stock < line.quantity)
        .map((line) => line.productId);
      // As the product service: lines in two currencies are refused, nothing reserved.
      const currencies = Object.fromEntries(
        lines.map((line) => [line.productId, products.get(line.productId)!.currency]),
      );
      if (new Set(Object.values(currencies)).size > 1)
        return send(
          res,
          stubAnswer(
            reserveStockRoute,
            409,
            problem(409, 'CURRENCY_MISMATCH', { currencies, productIds: Object.keys(currencies) }),
          ),
        );
      if (short.length)
        return send(
          res,
          stubAnswer(reserveStockRoute, 409, problem(409, 'INSUFFICIENT_STOCK', { productIds: short })),
        );
      for (const line of lines) {
        const product = products.get(line.productId)!;
        product.stock -= line.quantity;
        product.reserved += line.quantity;
      }
      reservations.set(orderId, { status: 'RESERVED', items: lines });
      await stub.afterReserve?.();
      if (stub.mixedCurrencyReservation) {
        const body = reservationBody(products, orderId, lines);
        const items = body.items.map((line, index) => ({ ...line, currency: index === 0 ? 'USD' : 'EUR' }));
        // Deliberately outside the contract: not built with stubAnswer.
        return send(res, { status: 201, body: { ...body, status: 'RESERVED', items } });
      }
      return send(
        res,
        stubAnswer(reserveStockRoute, 201, {
          ...reservationBody(products, orderId, lines),
          status: 'RESERVED',
        }),
      );
    }
    const match = /^\/internal\/reservations\/([^/]+)\/(commit|release)$/.exec(path);
    if (match) {
      const [, orderId, action] = match as unknown as [string, string, 'commit' | 'release'];
      const reservation = reservations.get(orderId);
      if (!reservation)
        return send(
          res,
          action === 'release'
            ? stubAnswer(releaseReservationRoute, 200, { orderId, status: 'NONE' })
            : stubAnswer(commitReservationRoute, 404, problem(404, 'NOT_FOUND')),
        );
      for (const line of reservation.items) {
        const product = products.get(line.productId)!;
        if (action === 'commit' && reservation.status === 'RESERVED') {
          product.reserved -= line.quantity;
          product.sold += line.quantity;
        } else if (action === 'release' && reservation.status === 'RESERVED') {
          product.reserved -= line.quantity;
          product.stock += line.quantity;
        } else if (action === 'release' && reservation.status === 'COMMITTED') {
          product.sold -= line.quantity;
          product.stock += line.quantity;
        }
      }
      if (action === 'commit') {
        if (reservation.status !== 'RESERVED' && reservation.status !== 'COMMITTED')
          return send(
            res,
            stubAnswer(
              commitReservationRoute,
              409,
              problem(409, 'CONFLICT', { reservationStatus: reservation.status as 'RELEASED' | 'RETURNED' }),
            ),
          );
        reservation.status = 'COMMITTED';
        return send(res, stubAnswer(commitReservationRoute, 200, { orderId, status: 'COMMITTED' }));
      }
      const status =
        reservation.status === 'RESERVED' || reservation.status === 'RELEASED' ? 'RELEASED' : 'RETURNED';
      reservation.status = status;
      return send(res, stubAnswer(releaseReservationRoute, 200, { orderId, status }));
    }
    res.writeHead(404).end();
  });
  return Object.assign(stub, {
    url,
    products,
    reservations,
    close,
    addProduct(priceCents: number, stock: number, currency = 'USD') {
      const product = { id: randomUUID(), priceCents, currency, stock, reserved: 0, sold: 0 };
      products.set(product.id, product);
      return product;
    },
  });
}

function reservationBody(
  products: Map<string, StubProduct>,
  orderId: string,
  lines: Array<{ productId: string; quantity: number }>,
) {
  return {
    orderId,
    items: lines.map((line) => ({
      ...line,
      priceCents: products.get(line.productId)?.priceCents ?? 0,
      currency: products.get(line.productId)?.currency ?? 'USD',
    })),
  };
}

// ---- payment --------------------------------------------------------------------

/**
 * `capture-then-garble` captures, then answers 201 with a body outside the contract (the
 * payment id is not a UUID): the capture happened, but the client cannot read it.
 */
export type PaymentMode = 'normal' | 'down' | 'capture-then-drop' | 'capture-then-garble' | 'hang';

export interface StubPayment {
  id: string;
  status: 'CAPTURED' | 'DECLINED' | 'REFUNDED' | 'CANCELLED';
  amountCents: number;
}

export interface PaymentStub extends StubServer {
  /** orderId → what the payment service holds for the order. */
  payments: Map<string, StubPayment>;
  /** Every charge call that reached the stub, including ones whose answer was dropped. */
  chargeCalls: string[];
  mode: PaymentMode;
}

export async function startPaymentStub(): Promise<PaymentStub> {
  const stub = {
    mode: 'normal',
    payments: new Map(),
    chargeCalls: [],
    authorizations: [],
  } as unknown as PaymentStub;
  const { url, close } = await startStubServer(async (req, res) => {
    stub.authorizations.push(req.headers.authorization);
    const json = await readJson(req);
    if (req.url === chargePaymentRoute.path) {
      if (stub.mode === 'down') return send(res, unavailable());
      if (stub.mode === 'hang') return; // never answers; the caller's timeout fires
      const charge = requestOf(chargePaymentRoute, json);
      const orderId = charge.orderId;
      stub.chargeCalls.push(orderId);
      const existing = stub.payments.get(orderId);
      if (existing?.status === 'CANCELLED')
        return send(
          res,
          stubAnswer(
            chargePaymentRoute,
            409,
            problem(409, 'CONFLICT', {
              paymentId: existing.id,
              orderId,
              paymentStatus: 'CANCELLED' as const,
            }),
          ),
        );
      const token = charge.token;
      if (token !== 'tok_visa' && token !== 'tok_decline')
        return send(res, stubAnswer(chargePaymentRoute, 400, problem(400, 'VALIDATION_FAILED')));
      const payment: StubPayment = existing ?? {
        id: randomUUID(),
        status: token === 'tok_visa' ? 'CAPTURED' : 'DECLINED',
        amountCents: charge.amountCents,
      };
      stub.payments.set(orderId, payment);
      if (stub.mode === 'capture-then-drop') return void res.destroy();
      if (stub.mode === 'capture-then-garble' && payment.status === 'CAPTURED')
        // Deliberately outside the contract: not built with stubAnswer.
        return send(res, { status: 201, body: { id: 42, orderId, status: 'CAPTURED' } });
      return send(
        res,
        payment.status === 'CAPTURED'
          ? stubAnswer(chargePaymentRoute, 201, {
              id: payment.id,
              orderId,
              status: 'CAPTURED',
              amountCents: payment.amountCents,
              currency: charge.currency,
            })
          : stubAnswer(
              chargePaymentRoute,
              402,
              problem(402, 'PAYMENT_DECLINED', { paymentId: payment.id, orderId }),
            ),
      );
    }
    if (stub.mode === 'down') return send(res, unavailable());
    if (req.url === cancelPaymentRoute.path) {
      const { orderId } = requestOf(cancelPaymentRoute, json);
      const existing = stub.payments.get(orderId);
      if (!existing || existing.status === 'DECLINED')
        stub.payments.set(orderId, { id: randomUUID(), status: 'CANCELLED', amountCents: 0 });
      else if (existing.status === 'CAPTURED') existing.status = 'REFUNDED';
      const status = stub.payments.get(orderId)!.status === 'REFUNDED' ? 'REFUNDED' : 'CANCELLED';
      return send(res, stubAnswer(cancelPaymentRoute, 200, { orderId, status }));
    }
    if (req.url === refundPaymentRoute.path) {
      const { orderId } = requestOf(refundPaymentRoute, json);
      const existing = stub.payments.get(orderId);
      if (existing?.status === 'CAPTURED') existing.status = 'REFUNDED';
      const status = existing?.status === 'REFUNDED' ? 'REFUNDED' : 'NONE';
      return send(res, stubAnswer(refundPaymentRoute, 200, { orderId, status }));
    }
    res.writeHead(404).end();
  });
  return Object.assign(stub, { url, close });
}
