import { randomUUID } from 'node:crypto';
import { tamperedCursors, uniqueSuffix } from '@surge/testing';
import { filterFingerprint } from '../src/domain/cursor';
import { call, createProduct, startTestProductService, type TestProductService } from './support';

let service: TestProductService;
const category = `cursor-${uniqueSuffix()}`;
const word = `zq${uniqueSuffix().replace(/\d/g, (digit) => 'abcdefghij'[Number(digit)]!)}`;
const issued: Record<'browse' | 'search', string> = { browse: '', search: '' };
beforeAll(async () => {
  service = await startTestProductService();
  for (let i = 0; i < 3; i += 1) await createProduct(service, { category, name: `${word} ${i}` });
  for (const [mode, query] of [
    ['browse', `category=${category}`],
    ['search', `q=${word}`],
  ] as const) {
    const page = await call<{ nextCursor: string }>(service.url, 'GET', `/api/products?${query}&limit=1`);
    issued[mode] = page.body.nextCursor;
  }
});
afterAll(() => service.stop());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function expect400(query: string) {
  const res = await call<{ code: string; errors: Array<{ path: string }> }>(
    service.url,
    'GET',
    `/api/products?${query}`,
  );
  expect(res.status).toBe(400);
  expect(res.body.code).toBe('VALIDATION_FAILED');
  expect(res.body.errors.map((problem) => problem.path)).toContain('cursor');
}

describe('GET /api/products with a cursor this API did not hand out', () => {
  it('follows the cursors it handed out, browsing and searching', async () => {
    for (const [mode, query] of [
      ['browse', `category=${category}`],
      ['search', `q=${word}`],
    ] as const) {
      const res = await call<{ items: unknown[] }>(
        service.url,
        'GET',
        `/api/products?${query}&limit=1&cursor=${issued[mode]}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
    }
  });

  it.each(tamperedCursors('placeholder', 'products:name'))('browsing: answers 400 for %s', async (label) => {
    const cursor = new Map(tamperedCursors(issued.browse, 'products:name')).get(label)!;
    await expect400(`category=${category}&cursor=${encodeURIComponent(cursor)}`);
  });

  it.each(tamperedCursors('placeholder', 'products:rank'))('searching: answers 400 for %s', async (label) => {
    const cursor = new Map(tamperedCursors(issued.search, 'products:rank')).get(label)!;
    await expect400(`q=${word}&cursor=${encodeURIComponent(cursor)}`);
  });

  it('answers 400, not a database error, for a name with a NUL in the right envelope', async () => {
    const fingerprint = filterFingerprint({
      q: undefined,
      category,
      minPrice: undefined,
      maxPrice: undefined,
    });
    await expect400(
      `category=${category}&cursor=${b64([1, 'products:name', fingerprint, 'a\u0000', randomUUID()])}`,
    );
    // The format before the shared codec, which let the NUL through to SQL.
    await expect400(`category=${category}&cursor=${b64([1, fingerprint, 'n', 'a\u0000', randomUUID()])}`);
  });

  it('answers 400 for a browsing cursor on a search and the other way round', async () => {
    await expect400(`q=${word}&cursor=${issued.browse}`);
    await expect400(`category=${category}&cursor=${issued.search}`);
  });
});
