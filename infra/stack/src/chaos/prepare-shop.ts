import { randomUUID } from 'node:crypto';
import type { Customer } from './traffic';

async function post<T>(
  gateway: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${gateway}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function login(gateway: string, email: string, password: string): Promise<string> {
  const res = await post<{ accessToken: string }>(gateway, '/api/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login of ${email} answered ${res.status}`);
  return res.body.accessToken;
}

/**
 * Customers and products for a run: a few registered customers, and products with
 * stock enough that checkouts test failures, not sell-outs. Uses the development admin
 * (seeded by the user service outside production).
 */
export async function prepareShop(
  gateway: string,
  customers = 4,
  products = 5,
): Promise<{ customers: Customer[]; productIds: string[] }> {
  const admin = await login(
    gateway,
    process.env.ADMIN_EMAIL ?? 'admin@surge.local',
    process.env.ADMIN_PASSWORD ?? 'surge-admin-dev',
  );
  const run = randomUUID().slice(0, 8);
  const productIds: string[] = [];
  for (let i = 0; i < products; i += 1) {
    const res = await post<{ id: string }>(
      gateway,
      '/api/products',
      {
        sku: `CHAOS-${run}-${i}`,
        name: `Chaos item ${i}`,
        description: 'Stock for a chaos run',
        category: 'chaos',
        priceCents: 1000 + i * 250,
        stock: 100_000,
      },
      admin,
    );
    if (res.status !== 201) throw new Error(`creating a product answered ${res.status}`);
    productIds.push(res.body.id);
  }
  const list: Customer[] = [];
  for (let i = 0; i < customers; i += 1) {
    const email = `chaos-${run}-${i}@example.test`;
    const password = 'chaos monkey password';
    const registered = await post(gateway, '/api/auth/register', { email, password, name: `Chaos ${i}` });
    if (registered.status !== 201) throw new Error(`registering answered ${registered.status}`);
    list.push({ token: await login(gateway, email, password) });
  }
  return { customers: list, productIds };
}
