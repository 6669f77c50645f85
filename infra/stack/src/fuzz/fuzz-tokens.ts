import { randomUUID } from 'node:crypto';
import { developmentClientSecret } from '@surge/config';

/** The tokens a public run uses: a customer's for every operation, the admin's for the admin ones. */
export interface PublicTokens {
  user: string;
  admin: string;
  /** The customer's own sign-in, for the hooks' sign-in and refresh cases. */
  customer: { email: string; password: string };
}

async function postJsonOnce<T>(url: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/**
 * As a client does with an answer that says "try again": a 503 or 504 (a sign-up or login
 * whose password hashing outlasted the edge's deadline on a busy machine) is sent again, a
 * few times, a second apart. A repeated sign-up that had gone through answers 409.
 */
async function postJson<T>(url: string, body: unknown, attempts = 5): Promise<{ status: number; body: T }> {
  for (let attempt = 1; ; attempt++) {
    const res = await postJsonOnce<T>(url, body);
    if (attempt >= attempts || (res.status !== 503 && res.status !== 504)) return res;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function login(gateway: string, email: string, password: string): Promise<string> {
  const res = await postJson<{ accessToken?: string }>(`${gateway}/api/auth/login`, { email, password });
  if (res.status !== 200 || !res.body.accessToken)
    throw new Error(`logging in as ${email} answered ${res.status}: is the admin of this stack another one?`);
  return res.body.accessToken;
}

/**
 * A fresh customer (registered for this run) and the development admin, logged in through
 * the gateway as the stack tests and load runs do. ADMIN_EMAIL and ADMIN_PASSWORD name
 * another admin, as they do for the stack that seeds it.
 */
export async function publicTokens(
  gateway: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PublicTokens> {
  const email = `fuzz-${randomUUID().slice(0, 8)}@example.test`;
  const password = 'a long enough fuzz password';
  const registered = await postJson(`${gateway}/api/auth/register`, { email, password, name: 'Fuzz' });
  // 409: an attempt answered 504 had registered this run's own (fresh) address after all.
  if (registered.status !== 201 && registered.status !== 409)
    throw new Error(`registering the fuzz customer answered ${registered.status}`);
  return {
    customer: { email, password },
    user: await login(gateway, email, password),
    admin: await login(
      gateway,
      env.ADMIN_EMAIL || 'admin@surge.local',
      env.ADMIN_PASSWORD || 'surge-admin-dev',
    ),
  };
}

/**
 * The client every internal route lets in (docs/internal-apis.md, "Service identity"), with
 * its development secret: a stack outside production.
 */
const CALLER = 'order';

/** `Authorization` for another service's internal routes: a service token for it, by client credentials. */
export async function serviceToken(userUrl: string, audience: string): Promise<string> {
  const res = await postJson<{ access_token?: string }>(`${userUrl}/internal/auth/token`, {
    grant_type: 'client_credentials',
    client_id: CALLER,
    client_secret: developmentClientSecret(CALLER),
    audience,
  });
  if (res.status !== 200 || !res.body.access_token)
    throw new Error(`the user service gave ${CALLER} no token for ${audience} (${res.status})`);
  return `Bearer ${res.body.access_token}`;
}
