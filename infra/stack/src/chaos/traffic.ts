import { randomUUID } from 'node:crypto';

/**
 * Steady shop traffic through the gateway, in the mix a chaos scenario needs to see what
 * a customer sees: browsing (product lists, searches, product pages), cart changes and
 * checkouts. Bounded: it stops when told, and never sends faster than `ratePerSecond`.
 */
export type RequestKind = 'browse' | 'cart' | 'checkout';

export interface Sample {
  at: number;
  kind: RequestKind;
  status: number;
  ms: number;
}

export interface Customer {
  token: string;
}

interface TrafficOptions {
  gateway: string;
  customers: Customer[];
  productIds: string[];
  ratePerSecond: number;
  /** Each request's own timeout: a client that gives up, as real ones do. */
  timeoutMs: number;
}

const address = {
  name: 'Chaos Monkey',
  line1: '1 Failure Ave',
  city: 'Netflix',
  postalCode: '95032',
  country: 'US',
};

async function send(
  options: TrafficOptions,
  kind: RequestKind,
  path: string,
  init: RequestInit,
): Promise<Sample> {
  const started = Date.now();
  try {
    const res = await fetch(`${options.gateway}${path}`, {
      ...init,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await res.arrayBuffer();
    return { at: started, kind, status: res.status, ms: Date.now() - started };
  } catch {
    // 0: no answer at all (refused, reset, timed out on the client side).
    return { at: started, kind, status: 0, ms: Date.now() - started };
  }
}

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** One request of the mix: 75% browse, 15% cart, 10% checkout. */
function nextRequest(options: TrafficOptions): Promise<Sample> {
  const roll = Math.random();
  const customer = pick(options.customers);
  const auth = { authorization: `Bearer ${customer.token}` };
  const product = pick(options.productIds);
  if (roll < 0.75) {
    const path = pick([
      `/api/products?limit=20`,
      `/api/products/${product}`,
      `/api/products?q=classic&limit=10`,
      '/api/categories',
    ]);
    return send(options, 'browse', path, {});
  }
  if (roll < 0.9) {
    return send(options, 'cart', `/api/cart/items/${product}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 1 }),
    });
  }
  return send(options, 'checkout', '/api/orders', {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({
      items: [{ productId: product, quantity: 1 }],
      shippingAddress: address,
      payment: { token: 'tok_visa' },
    }),
  });
}

/** Runs until `stop()`; resolves with every sample. */
export function runTraffic(options: TrafficOptions): { stop(): Promise<Sample[]> } {
  const samples: Sample[] = [];
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const request = nextRequest(options).then((sample) => {
      samples.push(sample);
      inFlight.delete(request);
    });
    inFlight.add(request);
  }, 1000 / options.ratePerSecond);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      return samples.sort((a, b) => a.at - b.at);
    },
  };
}
