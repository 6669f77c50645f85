import { randomUUID } from 'node:crypto';
import { contractViolations } from '@surge/contracts';
import {
  call,
  createProduct,
  newProduct,
  startTestProductService,
  type JsonResponse,
  type TestProductService,
} from './support';

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

function expectContract(operationId: string, answer: JsonResponse<unknown>, status: number): void {
  expect(answer.status).toBe(status);
  expect(contractViolations(operationId, answer.status, answer.body)).toEqual([]);
}

describe('the catalog answers by the contract', () => {
  it('lists, reads and refuses as documented', async () => {
    const product = await createProduct(service);

    expectContract('listProducts', await call(service.url, 'GET', '/api/products?limit=2'), 200);
    expectContract(
      'listProducts',
      await call(service.url, 'GET', '/api/products?minPrice=9&maxPrice=1'),
      400,
    );
    expectContract('listProducts', await call(service.url, 'GET', '/api/products?cursor='), 400);
    expectContract('getProduct', await call(service.url, 'GET', `/api/products/${product.id}`), 200);
    expectContract('getProduct', await call(service.url, 'GET', `/api/products/${randomUUID()}`), 404);
    expectContract('getProduct', await call(service.url, 'GET', '/api/products/not-a-uuid'), 404);
    expectContract('listCategories', await call(service.url, 'GET', '/api/categories'), 200);
  });

  it('an admin creates and changes products; a customer may not', async () => {
    const body = newProduct();
    const created = await call(service.url, 'POST', '/api/products', { token: service.adminToken, body });

    expectContract('createProduct', created, 201);
    expectContract(
      'createProduct',
      await call(service.url, 'POST', '/api/products', { token: service.adminToken, body }),
      409,
    );
    expectContract(
      'createProduct',
      await call(service.url, 'POST', '/api/products', { token: service.customerToken, body: newProduct() }),
      403,
    );
    expectContract(
      'createProduct',
      await call(service.url, 'POST', '/api/products', { body: newProduct() }),
      401,
    );
    const id = (created.body as { id: string }).id;
    expectContract(
      'updateProduct',
      await call(service.url, 'PATCH', `/api/products/${id}`, {
        token: service.adminToken,
        body: { stock: 7 },
      }),
      200,
    );
    expectContract(
      'updateProduct',
      await call(service.url, 'PATCH', `/api/products/${id}`, { token: service.adminToken, body: {} }),
      400,
    );
    expectContract(
      'updateProduct',
      await call(service.url, 'PATCH', `/api/products/${randomUUID()}`, {
        token: service.adminToken,
        body: { stock: 1 },
      }),
      404,
    );
  });
});
