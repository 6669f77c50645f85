import { uniqueSuffix } from '@surge/testing';
import { call, createProduct, startTestProductService, type TestProductService } from './support';

let service: TestProductService;
beforeAll(async () => {
  service = await startTestProductService();
});
afterAll(() => service.stop());

type Categories = Array<{ name: string; count: number }>;

describe('GET /api/categories', () => {
  it('lists categories by name with their product counts, and follows writes', async () => {
    const [first, second] = [`cat-a-${uniqueSuffix()}`, `cat-b-${uniqueSuffix()}`];
    await Promise.all([
      createProduct(service, { category: first }),
      createProduct(service, { category: first }),
      createProduct(service, { category: second }),
    ]);
    const before = await call<Categories>(service.url, 'GET', '/api/categories');
    expect(before.status).toBe(200);
    expect(before.body).toEqual(
      expect.arrayContaining([
        { name: first, count: 2 },
        { name: second, count: 1 },
      ]),
    );
    const names = before.body.map((category) => category.name);
    expect(names).toEqual([...new Set(names)]);

    await createProduct(service, { category: second });
    const after = await call<Categories>(service.url, 'GET', '/api/categories');
    expect(after.body).toContainEqual({ name: second, count: 2 });
  });
});
