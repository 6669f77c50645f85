import { randomUUID } from 'node:crypto';
import { expectPublicContract } from '@surge/testing';
import { call, createProduct, newProduct, startTestProductService, type TestProductService } from './support';

/**
 * The catalog routes answer what the public contract (packages/contracts/src/public, the
 * generated OpenAPI document) says: every status documented, every body of the
 * documented shape, every error code listed for its status.
 */
let service: TestProductService;
beforeAll(async () => {
  service = await startTestProductService();
});
afterAll(() => service.stop());

describe('the catalog answers by the contract', () => {
  it('lists, reads and refuses as documented', async () => {
    const product = await createProduct(service);

    expectPublicContract('listProducts', await call(service.url, 'GET', '/api/products?limit=2'), 200);
    expectPublicContract(
      'listProducts',
      await call(service.url, 'GET', '/api/products?minPrice=9&maxPrice=1'),
      400,
    );
    expectPublicContract('listProducts', await call(service.url, 'GET', '/api/products?cursor='), 400);
    expectPublicContract('getProduct', await call(service.url, 'GET', `/api/products/${product.id}`), 200);
    expectPublicContract('getProduct', await call(service.url, 'GET', `/api/products/${randomUUID()}`), 404);
    expectPublicContract('getProduct', await call(service.url, 'GET', '/api/products/not-a-uuid'), 404);
    expectPublicContract('listCategories', await call(service.url, 'GET', '/api/categories'), 200);
  });

  it('an admin creates and changes products; a customer may not', async () => {
    const body = newProduct();
    const created = await call(service.url, 'POST', '/api/products', { token: service.adminToken, body });

    expectPublicContract('createProduct', created, 201);
    expectPublicContract(
      'createProduct',
      await call(service.url, 'POST', '/api/products', { token: service.adminToken, body }),
      409,
    );
    expectPublicContract(
      'createProduct',
      await call(service.url, 'POST', '/api/products', { token: service.customerToken, body: newProduct() }),
      403,
    );
    expectPublicContract(
      'createProduct',
      await call(service.url, 'POST', '/api/products', { body: newProduct() }),
      401,
    );
    const id = (created.body as { id: string }).id;
    expectPublicContract(
      'updateProduct',
      await call(service.url, 'PATCH', `/api/products/${id}`, {
        token: service.adminToken,
        body: { stock: 7 },
      }),
      200,
    );
    expectPublicContract(
      'updateProduct',
      await call(service.url, 'PATCH', `/api/products/${id}`, { token: service.adminToken, body: {} }),
      400,
    );
    expectPublicContract(
      'updateProduct',
      await call(service.url, 'PATCH', `/api/products/${randomUUID()}`, {
        token: service.adminToken,
        body: { stock: 1 },
      }),
      404,
    );
  });
});
