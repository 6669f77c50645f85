import { randomUUID } from 'node:crypto';
import { expectPublicContract } from '@surge/testing';
import {
  call,
  checkoutBody,
  placeOrder,
  startOrderHarness,
  type OrderHarness,
} from './support/order-service';

/**
 * The cart and order routes answer what the public contract (packages/contracts/src/public,
 * the generated OpenAPI document) says: every status documented, every body of the
 * documented shape, every error code listed for its status.
 */
let h: OrderHarness;
beforeAll(async () => {
  h = await startOrderHarness();
});
afterAll(() => h.stop());

describe('the cart answers by the contract', () => {
  it('reads, fills, empties and refuses as documented', async () => {
    const product = h.product.addProduct(250, 10);
    const { token } = h.token();

    expectPublicContract('getCart', await call(h, 'GET', '/api/cart', { token }), 200);
    expectPublicContract(
      'setCartItem',
      await call(h, 'PUT', `/api/cart/items/${product.id}`, { token, body: { quantity: 2 } }),
      200,
    );
    expectPublicContract(
      'setCartItem',
      await call(h, 'PUT', `/api/cart/items/${randomUUID()}`, { token, body: { quantity: 1 } }),
      404,
    );
    expectPublicContract(
      'setCartItem',
      await call(h, 'PUT', `/api/cart/items/${product.id}`, { token, body: { quantity: 0 } }),
      400,
    );
    expectPublicContract(
      'removeCartItem',
      await call(h, 'DELETE', '/api/cart/items/not-a-uuid', { token }),
      400,
    );
    expectPublicContract(
      'removeCartItem',
      await call(h, 'DELETE', `/api/cart/items/${product.id}`, { token }),
      200,
    );
    expectPublicContract('clearCart', await call(h, 'DELETE', '/api/cart', { token }), 204);
    expectPublicContract('getCart', await call(h, 'GET', '/api/cart'), 401);
  });
});

describe('orders answer by the contract', () => {
  it('a checkout, its replay with another body, a decline and a stock shortage', async () => {
    const product = h.product.addProduct(500, 2);
    const { token } = h.token();
    const key = randomUUID();

    const paid = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]), key);
    expectPublicContract('placeOrder', paid, 201);
    expectPublicContract(
      'placeOrder',
      await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 2 }]), key),
      422,
    );
    expectPublicContract(
      'placeOrder',
      await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }], 'tok_decline')),
      402,
    );
    expectPublicContract(
      'placeOrder',
      await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 5 }])),
      409,
    );
    expectPublicContract(
      'placeOrder',
      await placeOrder(h, token, checkoutBody([{ productId: randomUUID(), quantity: 1 }])),
      404,
    );
    expectPublicContract(
      'placeOrder',
      await call(h, 'POST', '/api/orders', { token, body: checkoutBody(undefined) }),
      400,
    );
  });

  it('reading, listing and cancelling', async () => {
    const product = h.product.addProduct(700, 5);
    const { token } = h.token();
    const placed = await placeOrder(h, token, checkoutBody([{ productId: product.id, quantity: 1 }]));

    expectPublicContract('listOrders', await call(h, 'GET', '/api/orders?limit=1', { token }), 200);
    expectPublicContract('listOrders', await call(h, 'GET', '/api/orders?cursor=', { token }), 400);
    expectPublicContract('getOrder', await call(h, 'GET', `/api/orders/${placed.body.id}`, { token }), 200);
    expectPublicContract('getOrder', await call(h, 'GET', `/api/orders/${randomUUID()}`, { token }), 404);
    expectPublicContract('getOrder', await call(h, 'GET', '/api/orders/nope', { token }), 400);
    expectPublicContract(
      'cancelOrder',
      await call(h, 'POST', `/api/orders/${placed.body.id}/cancel`, { token }),
      200,
    );
    expectPublicContract(
      'cancelOrder',
      await call(h, 'POST', `/api/orders/${randomUUID()}/cancel`, { token }),
      404,
    );
  });
});
