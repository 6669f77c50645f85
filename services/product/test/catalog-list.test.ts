import { uniqueSuffix } from '@surge/testing';
import {
  call,
  createProduct,
  startTestProductService,
  type ProductBody,
  type TestProductService,
} from './support';

let service: TestProductService;
beforeAll(async () => {
  service = await startTestProductService();
});
afterAll(() => service.stop());

type Page = { items: ProductBody[]; nextCursor: string | null };

/** A word only this test's products contain (letters only, so the parser sees one plain word). */
const uniqueWord = () => `zq${uniqueSuffix().replace(/\d/g, (digit) => 'abcdefghij'[Number(digit)]!)}`;

async function walk(query: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await call<Page>(service.url, 'GET', `/api/products?${query}${suffix}`);
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((item) => item.id));
    cursor = res.body.nextCursor;
    pages += 1;
  } while (cursor && pages < 100);
  return { ids, pages };
}

describe('GET /api/products: browsing and filters', () => {
  const category = `browse-${uniqueSuffix()}`;
  let created: ProductBody[];
  beforeAll(async () => {
    // 23 products, several sharing a name, so the id tie-break is exercised.
    created = await Promise.all(
      Array.from({ length: 23 }, (_, i) =>
        createProduct(service, { category, name: `Item ${i % 5}`, priceCents: 100 * (i + 1) }),
      ),
    );
  });

  it('walks every page of a category with no duplicates and no gaps, in (name, id) order', async () => {
    const { ids, pages } = await walk(`category=${category}&limit=5`);
    expect(pages).toBe(5);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(created.map((product) => product.id)));
    const single = await call<Page>(service.url, 'GET', `/api/products?category=${category}&limit=100`);
    expect(single.body.items.map((item) => item.id)).toEqual(ids);
    expect(single.body.nextCursor).toBeNull();
    const names = single.body.items.map((item) => item.name);
    expect(names).toEqual([...names].sort());
  });

  it('filters by an inclusive price range, across pages', async () => {
    const { ids } = await walk(`category=${category}&minPrice=500&maxPrice=1200&limit=3`);
    const expected = created.filter((p) => p.priceCents >= 500 && p.priceCents <= 1200).map((p) => p.id);
    expect(ids.sort()).toEqual(expected.sort());
  });

  it('answers the list envelope with public products only', async () => {
    const res = await call<Page>(service.url, 'GET', `/api/products?category=${category}&limit=1`);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
    expect(Object.keys(res.body.items[0]!).sort()).toEqual(
      ['category', 'currency', 'description', 'id', 'name', 'priceCents', 'sku', 'stock', 'updatedAt'].sort(),
    );
  });

  it('defaults to 20 items a page', async () => {
    const res = await call<Page>(service.url, 'GET', `/api/products?category=${category}`);
    expect(res.body.items).toHaveLength(20);
    expect(res.body.nextCursor).toEqual(expect.any(String));
  });

  it('answers an unknown category with an empty page', async () => {
    const res = await call<Page>(service.url, 'GET', `/api/products?category=nothing-${uniqueSuffix()}`);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });

  it('answers 400 for a query parameter it does not take, instead of ignoring it', async () => {
    // A misspelt filter (`?catgory=`) used to answer the whole catalog as if unfiltered.
    const res = await call<{ code: string }>(service.url, 'GET', `/api/products?catgory=${category}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('GET /api/products?q=: full-text search', () => {
  const word = uniqueWord();
  let inName: ProductBody;
  let inDescription: ProductBody;
  let inCategory: ProductBody;
  beforeAll(async () => {
    inDescription = await createProduct(service, { description: `Pairs well with a ${word}.` });
    inName = await createProduct(service, { name: `The ${word} deluxe` });
    inCategory = await createProduct(service, { category: `${word} things` });
  });

  it('ranks a match in the name above one in the description, above one in the category', async () => {
    const res = await call<Page>(service.url, 'GET', `/api/products?q=${word}`);
    expect(res.body.items.map((item) => item.id)).toEqual([inName.id, inDescription.id, inCategory.id]);
  });

  it('walks the ranked results page by page without duplicates or gaps', async () => {
    const { ids, pages } = await walk(`q=${word}&limit=1`);
    expect(pages).toBe(3);
    expect(ids).toEqual([inName.id, inDescription.id, inCategory.id]);
  });

  it('understands web search syntax and combines with filters', async () => {
    const excluded = await call<Page>(
      service.url,
      'GET',
      `/api/products?q=${encodeURIComponent(`${word} -deluxe`)}`,
    );
    expect(excluded.body.items.map((item) => item.id)).not.toContain(inName.id);
    const filtered = await call<Page>(
      service.url,
      'GET',
      `/api/products?q=${word}&category=${encodeURIComponent(inDescription.category)}`,
    );
    expect(filtered.body.items.map((item) => item.id)).toEqual([inDescription.id]);
  });

  it.each([
    ['SQL', "'; DROP TABLE products; --"],
    ['operators only', '&|!:*()<->'],
    ['an unbalanced quote', '"unterminated'],
    ['stop words only', 'the and of'],
  ])('treats a hostile query (%s) as text and answers 200', async (_label, q) => {
    const res = await call<Page>(service.url, 'GET', `/api/products?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.items)).toBe(true);
  });
});

describe('GET /api/products: bad parameters are 400 problems', () => {
  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['minPrice=-1', 'minPrice'],
    ['maxPrice=1e3', 'maxPrice'],
    ['minPrice=500&maxPrice=100', 'maxPrice'],
    ['cursor=garbage!', 'cursor'],
    [`cursor=${Buffer.from('{"x":1}').toString('base64url')}`, 'cursor'],
    [`q=${'x'.repeat(201)}`, 'q'],
    ['q=%00', 'q'],
  ])('%s', async (query, field) => {
    const res = await call<{ code: string; errors: Array<{ path: string }> }>(
      service.url,
      'GET',
      `/api/products?${query}`,
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((error) => error.path)).toContain(field);
  });

  it('rejects a cursor issued for other filters', async () => {
    const category = `cursor-${uniqueSuffix()}`;
    await Promise.all([createProduct(service, { category }), createProduct(service, { category })]);
    const first = await call<Page>(service.url, 'GET', `/api/products?category=${category}&limit=1`);
    const res = await call(
      service.url,
      'GET',
      `/api/products?category=other&cursor=${first.body.nextCursor}`,
    );
    expect(res.status).toBe(400);
  });

  it('accepts limits 1 and 100', async () => {
    expect((await call(service.url, 'GET', '/api/products?limit=1')).status).toBe(200);
    expect((await call(service.url, 'GET', '/api/products?limit=100')).status).toBe(200);
  });

  it('answers an invalid token with 401 even on public reads', async () => {
    const res = await call(service.url, 'GET', '/api/products', { token: 'not.a.jwt' });
    expect(res.status).toBe(401);
  });
});
