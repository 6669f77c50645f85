import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stand-ins for the product and payment services, speaking their internal API
 * (docs/internal-apis.md). They are other services, not infrastructure: a stub lets a
 * test put the saga in every branch on purpose (lost responses, outages, deadlines).
 */
export interface StubServer {
  url: string;
  /** The Authorization header of every request that reached the stub, in order. */
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function closer(server: Server) {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

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
}

export async function startProductStub(): Promise<ProductStub> {
  const products = new Map<string, StubProduct>();
  const reservations: ProductStub['reservations'] = new Map();
  const stub = {
    down: false,
    refuseTokens: 0,
    authorizations: [] as Array<string | undefined>,
  } as ProductStub;
  const { server, url } = await listen(async (req, res) => {
    if (stub.down) return void res.destroy();
    stub.authorizations.push(req.headers.authorization);
    if (stub.refuseTokens > 0) {
      stub.refuseTokens -= 1;
      return send(res, 401, { code: 'INVALID_TOKEN' });
    }
    const path = req.url ?? '';
    const body = await readJson(req);
    if (path === '/internal/products/lookup') {
      const ids = body.ids as string[];
      const items = ids
        .filter((id) => products.has(id))
        .map((id) => ({ ...products.get(id)!, sku: id, name: 'Stub' }));
      return send(res, 200, { items });
    }
    if (path === '/internal/reservations') {
      const orderId = body.orderId as string;
      const lines = body.items as Array<{ productId: string; quantity: number }>;
      const existing = reservations.get(orderId);
      if (existing)
        return send(
          res,
          existing.status === 'RESERVED' ? 201 : 200,
          reservationBody(products, orderId, existing.status, existing.items),
        );
      const unknown = lines.filter((line) => !products.has(line.productId)).map((line) => line.productId);
      if (unknown.length) return send(res, 404, { code: 'NOT_FOUND', productIds: unknown });
      const short = lines
        .filter((line) => products.get(line.productId)!.stock < line.quantity)
        .map((line) => line.productId);
      // As the product service: lines in two currencies are refused, nothing reserved.
      const currencies = Object.fromEntries(
        lines.map((line) => [line.productId, products.get(line.productId)!.currency]),
      );
      if (new Set(Object.values(currencies)).size > 1)
        return send(res, 409, { code: 'CURRENCY_MISMATCH', currencies });
      if (short.length) return send(res, 409, { code: 'INSUFFICIENT_STOCK', productIds: short });
      for (const line of lines) {
        const product = products.get(line.productId)!;
        product.stock -= line.quantity;
        product.reserved += line.quantity;
      }
      reservations.set(orderId, { status: 'RESERVED', items: lines });
      await stub.afterReserve?.();
      return send(res, 201, reservationBody(products, orderId, 'RESERVED', lines));
    }
    const match = /^\/internal\/reservations\/([^/]+)\/(commit|release)$/.exec(path);
    if (match) {
      const [, orderId, action] = match as unknown as [string, string, string];
      const reservation = reservations.get(orderId);
      if (!reservation) return send(res, action === 'release' ? 200 : 404, { orderId, status: 'NONE' });
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
      const next: Record<string, Record<string, string>> = {
        commit: { RESERVED: 'COMMITTED', COMMITTED: 'COMMITTED' },
        release: { RESERVED: 'RELEASED', COMMITTED: 'RETURNED', RELEASED: 'RELEASED', RETURNED: 'RETURNED' },
      };
      const status = next[action]?.[reservation.status];
      if (!status) return send(res, 409, { code: 'CONFLICT' });
      reservation.status = status;
      return send(res, 200, { orderId, status });
    }
    send(res, 404, { code: 'ROUTE_NOT_FOUND' });
  });
  return Object.assign(stub, {
    url,
    products,
    reservations,
    close: closer(server),
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
  status: string,
  lines: Array<{ productId: string; quantity: number }>,
) {
  return {
    orderId,
    status,
    items: lines.map((line) => ({
      ...line,
      priceCents: products.get(line.productId)?.priceCents ?? 0,
      currency: products.get(line.productId)?.currency ?? 'USD',
    })),
  };
}

// ---- payment --------------------------------------------------------------------

export type PaymentMode = 'normal' | 'down' | 'capture-then-drop' | 'hang';

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
  const { server, url } = await listen(async (req, res) => {
    stub.authorizations.push(req.headers.authorization);
    const body = await readJson(req);
    const orderId = body.orderId as string;
    if (req.url === '/internal/payments/charge') {
      if (stub.mode === 'down') return send(res, 503, { code: 'DEPENDENCY_UNAVAILABLE' });
      if (stub.mode === 'hang') return; // never answers; the caller's timeout fires
      stub.chargeCalls.push(orderId);
      const existing = stub.payments.get(orderId);
      if (existing?.status === 'CANCELLED') return send(res, 409, { code: 'CONFLICT' });
      const token = body.token as string;
      if (token !== 'tok_visa' && token !== 'tok_decline')
        return send(res, 400, { code: 'VALIDATION_FAILED', detail: 'unknown payment token' });
      const payment = existing ?? {
        id: randomUUID(),
        status: token === 'tok_visa' ? 'CAPTURED' : 'DECLINED',
        amountCents: Number(body.amountCents),
      };
      stub.payments.set(orderId, payment as StubPayment);
      if (stub.mode === 'capture-then-drop') return void res.destroy();
      return payment.status === 'CAPTURED'
        ? send(res, 201, { ...payment, orderId })
        : send(res, 402, { code: 'PAYMENT_DECLINED' });
    }
    if (stub.mode === 'down') return send(res, 503, { code: 'DEPENDENCY_UNAVAILABLE' });
    const existing = stub.payments.get(orderId);
    if (req.url === '/internal/payments/cancel') {
      if (!existing || existing.status === 'DECLINED')
        stub.payments.set(orderId, { id: randomUUID(), status: 'CANCELLED', amountCents: 0 });
      else if (existing.status === 'CAPTURED') existing.status = 'REFUNDED';
      return send(res, 200, { orderId, status: stub.payments.get(orderId)!.status });
    }
    if (req.url === '/internal/payments/refund') {
      if (existing?.status === 'CAPTURED') existing.status = 'REFUNDED';
      return send(res, 200, { orderId, status: existing?.status ?? 'NONE' });
    }
    send(res, 404, { code: 'ROUTE_NOT_FOUND' });
  });
  return Object.assign(stub, { url, close: closer(server) });
}
