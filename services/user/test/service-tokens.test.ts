import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  SERVICE_TOKEN_PATH,
  ServiceTokenVerifier,
  StaticKeys,
  TokenVerifier,
  fromPublicJwk,
  type Jwks,
} from '@surge/auth';
import { getJwksRoute, internalOpenApiText, issueServiceTokenRoute, readAnswer } from '@surge/contracts';
import { call, registerAndLogin, startTestUserService, type TestUserService } from './support';

/**
 * The OAuth 2.0 client-credentials token endpoint (RFC 6749 §4.4) that gives services
 * their identity: the real user service, real Postgres and Redis, real RS256 tokens.
 */
const ORDER_SECRET = 'order-test-secret-0123456789abcdef';
const PAYMENT_SECRET = 'payment-test-secret-0123456789abcd';

let service: TestUserService;

beforeAll(async () => {
  const digest = createHash('sha256').update(PAYMENT_SECRET).digest('hex');
  service = await startTestUserService({
    // One client by its secret, one by its digest, as production configures them.
    SERVICE_CLIENT_SECRETS: `order=${ORDER_SECRET},payment=sha256:${digest}`,
    SERVICE_TOKEN_TTL_SECONDS: '120',
    SERVICE_TOKEN_FAILURE_LIMIT: '5',
  });
});

afterAll(() => service.stop());

/** A form POST, as RFC 6749 defines the request; `basic` authenticates with HTTP Basic. */
async function tokenRequest(
  fields: Record<string, string>,
  options: { basic?: [string, string]; json?: boolean; from?: string } = {},
) {
  const headers: Record<string, string> = {
    'content-type': options.json ? 'application/json' : 'application/x-www-form-urlencoded',
  };
  if (options.basic) {
    const [id, secret] = options.basic.map(encodeURIComponent) as [string, string];
    headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  }
  const body = options.json ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
  const res = await fetch(`${options.from ?? service.url}${SERVICE_TOKEN_PATH}`, {
    method: 'POST',
    headers,
    body,
  });
  const text = await res.text();
  const answer = { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  // Every answer these tests see keeps the token endpoint's contract (packages/contracts,
  // auth-api.ts): readAnswer throws UPSTREAM_CONTRACT_VIOLATION otherwise.
  if (answer.status < 500) readAnswer('user', issueServiceTokenRoute, answer);
  return { ...answer, headers: res.headers };
}

const orderFor = (audience: string) => ({
  grant_type: 'client_credentials',
  client_id: 'order',
  client_secret: ORDER_SECRET,
  audience,
});

async function jwksKeys(): Promise<StaticKeys> {
  const jwks = await call<Jwks>(service.url, 'GET', '/api/auth/jwks');
  return new StaticKeys(new Map(jwks.body.keys.map((key) => [key.kid, fromPublicJwk(key)])));
}

describe('POST /internal/auth/token (client credentials)', () => {
  it('issues a short-lived RS256 token for the audience asked, verifiable through the JWKS', async () => {
    const res = await tokenRequest(orderFor('product'));

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 120 });
    const token = String(res.body.access_token);
    const claims = jwt.decode(token, { complete: true });
    expect(claims?.header.alg).toBe('RS256');
    expect(claims?.payload).toMatchObject({ sub: 'order', aud: 'product', token_use: 'service' });
    const payload = claims?.payload as jwt.JwtPayload;
    expect(Number(payload.exp) - Number(payload.iat)).toBe(120);
    const verifier = new ServiceTokenVerifier({
      keys: await jwksKeys(),
      issuer: service.config.JWT_ISSUER,
      audience: 'product',
    });
    await expect(verifier.verify(token)).resolves.toEqual({ service: 'order' });
  });

  it('takes JSON, HTTP Basic, `resource` for the audience, and a secret stored as its digest', async () => {
    const json = await tokenRequest(orderFor('payment'), { json: true });
    const basic = await tokenRequest(
      { grant_type: 'client_credentials', resource: 'product' },
      { basic: ['payment', PAYMENT_SECRET] },
    );

    expect(json.status).toBe(200);
    expect(jwt.decode(String(json.body.access_token))).toMatchObject({ aud: 'payment' });
    expect(basic.status).toBe(200);
    expect(jwt.decode(String(basic.body.access_token))).toMatchObject({ sub: 'payment', aud: 'product' });
  });

  it('a service token is never a user token: the user service and any user verifier refuse it', async () => {
    const token = String((await tokenRequest(orderFor('product'))).body.access_token);
    const userVerifier = new TokenVerifier({
      keys: await jwksKeys(),
      issuer: service.config.JWT_ISSUER,
      audience: service.config.JWT_AUDIENCE,
    });
    // Its audience (product) and its token_use both keep it out.
    await expect(userVerifier.verify(token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });

    const me = await call(service.url, 'GET', '/api/users/me', { token });
    expect(me.status).toBe(401);
  });

  it('a user token is no client credential', async () => {
    const { tokens } = await registerAndLogin(service.url, `svc-${Date.now()}@example.com`);
    const res = await fetch(`${service.url}${SERVICE_TOKEN_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Bearer ${tokens.accessToken}`,
      },
      body: 'grant_type=client_credentials&audience=product',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('POST /internal/auth/token refuses with a clear 4xx, never a 500', () => {
  // None of these is a failed authentication (a guess), so none counts towards the
  // address's failure limit.
  it.each([
    ['a wrong grant type', { ...orderFor('product'), grant_type: 'password' }, 400, 'unsupported_grant_type'],
    [
      'no grant type',
      { client_id: 'order', client_secret: ORDER_SECRET, audience: 'product' },
      400,
      'invalid_request',
    ],
    [
      'no audience',
      { grant_type: 'client_credentials', client_id: 'order', client_secret: ORDER_SECRET },
      400,
      'invalid_request',
    ],
    ['an audience that is no service with internal routes', orderFor('gateway'), 400, 'invalid_target'],
    ['a token for itself', { ...orderFor('order') }, 400, 'invalid_target'],
    [
      'no client secret',
      { grant_type: 'client_credentials', client_id: 'order', audience: 'product' },
      401,
      'invalid_client',
    ],
  ])('%s', async (_label, fields, status, error) => {
    const res = await tokenRequest(fields as Record<string, string>);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status, error });
    expect(typeof res.body.error_description).toBe('string');
  });

  it.each([
    ['no audience', { grant_type: 'client_credentials', client_id: 'order', client_secret: 'wrong' }],
    ['audience and resource apart', { ...orderFor('product'), client_secret: 'wrong', resource: 'payment' }],
  ])(
    'a client that fails to authenticate gets 401 invalid_client before anything about its request (%s)',
    async (_label, fields) => {
      // schemathesis sent schema-valid requests with made-up credentials and got 400s for the
      // audience: the client is checked first, so a stranger learns nothing of the targets.
      const res = await tokenRequest(fields as Record<string, string>);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'invalid_client' });
    },
  );

  it('a body that is not JSON is 400 invalid_request, with the error members every refusal here has', async () => {
    // schemathesis found the body parser's plain MALFORMED_JSON problem here, outside the
    // contract (RFC 6749 §5.2: every error answer of a token endpoint has `error`).
    const res = await fetch(`${service.url}${SERVICE_TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'MALFORMED_JSON',
      error: 'invalid_request',
      error_description: expect.any(String),
    });
  });

  it('a body that is neither form nor JSON is 415; nested form keys are 400', async () => {
    const text = await fetch(`${service.url}${SERVICE_TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'grant_type=client_credentials',
    });
    expect(text.status).toBe(415);
    const nested = await fetch(`${service.url}${SERVICE_TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type[a]=client_credentials',
    });
    expect(nested.status).toBe(400);
    const repeated = await fetch(`${service.url}${SERVICE_TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=order&client_id=payment&audience=product',
    });
    expect(repeated.status).toBe(400);
    expect(await repeated.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('guessing client secrets', () => {
  it('a wrong secret and an unknown client get the same 401 invalid_client with WWW-Authenticate', async () => {
    // A service of its own, so its failure count starts at zero.
    const own = await startTestUserService({
      SERVICE_CLIENT_SECRETS: `order=${ORDER_SECRET}`,
      SERVICE_TOKEN_FAILURE_LIMIT: '3',
    });
    try {
      const wrong = await tokenRequest(
        { ...orderFor('product'), client_secret: 'not-the-secret' },
        { from: own.url },
      );
      const unknown = await tokenRequest(
        { ...orderFor('product'), client_id: 'intruder' },
        { from: own.url },
      );
      for (const res of [wrong, unknown]) {
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ error: 'invalid_client', detail: 'Client authentication failed' });
        expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      }

      // The third failure for `order` (the unknown client counts apart) reaches the limit: from then on every request for
      // that client from that address is 429 before any secret is compared, the right
      // one included.
      for (const guess of ['still-wrong', 'wrong-again'])
        await tokenRequest({ ...orderFor('product'), client_secret: guess }, { from: own.url });
      const limited = await tokenRequest(orderFor('product'), { from: own.url });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await own.stop();
    }
  });

  it("one client's failures do not lock another client out on the same host", async () => {
    // Natively every service calls from 127.0.0.1: a probe or a misconfigured caller
    // failing as one client must not stop the others from getting their tokens.
    const own = await startTestUserService({
      SERVICE_CLIENT_SECRETS: `order=${ORDER_SECRET},payment=${PAYMENT_SECRET}`,
      SERVICE_TOKEN_FAILURE_LIMIT: '2',
    });
    try {
      for (const clientId of ['intruder', 'payment', 'payment'])
        expect(
          (await tokenRequest({ ...orderFor('product'), client_id: clientId }, { from: own.url })).status,
        ).toBe(401);
      expect((await tokenRequest(orderFor('product'), { from: own.url })).status).toBe(200);
      const paymentLocked = await tokenRequest(
        { ...orderFor('product'), client_id: 'payment', client_secret: PAYMENT_SECRET },
        { from: own.url },
      );
      expect(paymentLocked.status).toBe(429);
    } finally {
      await own.stop();
    }
  });
});

describe('the user service’s internal API document and key set', () => {
  it('answers a JWKS that keeps its contract, and serves its OpenAPI document on the admin listener', async () => {
    const jwks = await call(service.url, 'GET', '/api/auth/jwks');
    expect(readAnswer('user', getJwksRoute, jwks).status).toBe(200);
    const document = await fetch(`${service.adminUrl}/docs/openapi.json`).then((res) => res.text());
    expect(document).toBe(internalOpenApiText('user'));
  });
});
