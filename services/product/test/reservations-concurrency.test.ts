import { randomUUID } from 'node:crypto';
import { call, createProduct, queryDb, startTestProductService, type TestProductService } from './support';

let service: TestProductService;
beforeAll(async () => {
  service = await startTestProductService();
});
afterAll(() => service.stop());

const reserve = (orderId: string, items: Array<{ productId: string; quantity: number }>) =>
  call(service.url, 'POST', '/internal/reservations', {
    token: service.orderToken,
    body: { orderId, items },
  });
const counters = async (ids: string[]) =>
  queryDb<{
    id: string;
    stock: number;
    reserved: number;
    sold: number;
    initial_stock: number;
    adjustments: number;
  }>(
    service,
    'SELECT id, stock, reserved, sold, initial_stock, adjustments FROM products WHERE id = ANY($1::uuid[]) ORDER BY id',
    [ids],
  );

describe('reservations under contention', () => {
  it('never oversells: 30 buyers race for 5 units, exactly 5 win', async () => {
    const product = await createProduct(service, { stock: 5 });
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => reserve(randomUUID(), [{ productId: product.id, quantity: 1 }])),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(statuses.filter((status) => status === 409)).toHaveLength(25);
    for (const res of answers.filter((answer) => answer.status === 409)) {
      expect(res.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', productIds: [product.id] });
    }
    expect(await counters([product.id])).toEqual([
      expect.objectContaining({ stock: 0, reserved: 5, sold: 0 }),
    ]);
  });

  it('is all or none: one short line reserves nothing', async () => {
    const [plenty, scarce] = await Promise.all([
      createProduct(service, { stock: 10 }),
      createProduct(service, { stock: 1 }),
    ]);
    const orderId = randomUUID();
    const res = await reserve(orderId, [
      { productId: plenty.id, quantity: 2 },
      { productId: scarce.id, quantity: 2 },
    ]);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', productIds: [scarce.id] });
    const rows = await counters([plenty.id, scarce.id]);
    expect(
      rows.map(({ stock, reserved }) => ({ stock, reserved })).sort((a, b) => a.stock - b.stock),
    ).toEqual([
      { stock: 1, reserved: 0 },
      { stock: 10, reserved: 0 },
    ]);
    expect(await queryDb(service, 'SELECT 1 FROM reservations WHERE order_id = $1', [orderId])).toEqual([]);
  });

  it('reserves once when the same order id arrives ten times at once', async () => {
    const product = await createProduct(service, { stock: 10 });
    const orderId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => reserve(orderId, [{ productId: product.id, quantity: 3 }])),
    );
    expect(answers.every((res) => res.status === 201)).toBe(true);
    expect(new Set(answers.map((res) => JSON.stringify(res.body))).size).toBe(1);
    expect(await counters([product.id])).toEqual([expect.objectContaining({ stock: 7, reserved: 3 })]);
  });

  it('does not deadlock when orders lock the same products from opposite ends', async () => {
    const [a, b] = await Promise.all([
      createProduct(service, { stock: 1_000 }),
      createProduct(service, { stock: 1_000 }),
    ]);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        reserve(
          randomUUID(),
          i % 2 === 0
            ? [
                { productId: a.id, quantity: 1 },
                { productId: b.id, quantity: 1 },
              ]
            : [
                { productId: b.id, quantity: 1 },
                { productId: a.id, quantity: 1 },
              ],
        ),
      ),
    );
    expect(answers.every((res) => res.status === 201)).toBe(true);
    expect((await counters([a.id, b.id])).map((row) => row.reserved)).toEqual([40, 40]);
  });

  it('keeps stock + reserved + sold = initial_stock + adjustments through a concurrent mix of everything', async () => {
    const ids = (await Promise.all([1, 2, 3].map(() => createProduct(service, { stock: 50 })))).map(
      (p) => p.id,
    );
    // Order i buys 1 + i % 4 units of product i % 3 and ends committed, released, returned or still reserved.
    const orders = Array.from({ length: 24 }, (_, i) => ({
      id: randomUUID(),
      productId: ids[i % 3]!,
      quantity: 1 + (i % 4),
      fate: (['committed', 'released', 'returned', 'reserved'] as const)[i % 4]!,
    }));
    const post = (orderId: string, verb: string) =>
      call(service.url, 'POST', `/internal/reservations/${orderId}/${verb}`, { token: service.orderToken });
    await Promise.all(
      orders.map((order) => reserve(order.id, [{ productId: order.productId, quantity: order.quantity }])),
    );
    await Promise.all([
      ...orders.map((order) => {
        if (order.fate === 'released') return post(order.id, 'release');
        return order.fate === 'reserved' ? undefined : post(order.id, 'commit');
      }),
      call(service.url, 'PATCH', `/api/products/${ids[0]}`, {
        token: service.adminToken,
        body: { stock: 200 },
      }),
    ]);
    await Promise.all([
      ...orders.filter((order) => order.fate === 'returned').map((order) => post(order.id, 'release')),
      call(service.url, 'PATCH', `/api/products/${ids[1]}`, {
        token: service.adminToken,
        body: { stock: 5 },
      }),
    ]);

    const rows = await counters(ids);
    for (const row of rows) {
      expect(row.stock + row.reserved + row.sold).toBe(row.initial_stock + row.adjustments);
      expect(Math.min(row.stock, row.reserved, row.sold)).toBeGreaterThanOrEqual(0);
    }
    // The product no admin touched ends exactly where the orders put it.
    const sum = (fate: string) =>
      orders
        .filter((o) => o.productId === ids[2] && o.fate === fate)
        .reduce((total, o) => total + o.quantity, 0);
    const untouched = rows.find((row) => row.id === ids[2]);
    expect(untouched).toMatchObject({ reserved: sum('reserved'), sold: sum('committed'), adjustments: 0 });
    expect(untouched!.stock).toBe(50 - sum('reserved') - sum('committed'));
  });
});
