import { randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { getJwksRoute, issueServiceTokenRoute, JWKS_PATH, stubAnswer } from '@surge/contracts';
import {
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  generateSigningKeyPair,
  SERVICE_TOKEN_PATH,
  SERVICE_TOKEN_USE,
  TOKEN_USE_CLAIM,
  toPublicJwk,
  type Role,
} from '@surge/auth';
import { readStubBody, sendStubAnswer, startStubServer, stubRequest } from './stub-server';

export interface TestKeyPair {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A real RSA key pair, so tests sign tokens exactly as the user service does. */
export function createTestKeyPair(): TestKeyPair {
  const { privateKey, publicKey } = generateSigningKeyPair();
  return { kid: `test-${randomUUID()}`, privateKey, publicKey };
}

export interface TestTokenOptions {
  userId?: string;
  role?: Role;
  issuer?: string;
  audience?: string;
  expiresInSeconds?: number;
  kid?: string;
}

/** Signs a real RS256 access token with the contract's claims. */
export function signTestToken(keys: TestKeyPair, options: TestTokenOptions = {}): string {
  return jwt.sign({ role: options.role ?? 'customer' }, keys.privateKey, {
    algorithm: 'RS256',
    keyid: options.kid ?? keys.kid,
    subject: options.userId ?? randomUUID(),
    issuer: options.issuer ?? DEFAULT_ISSUER,
    audience: options.audience ?? DEFAULT_AUDIENCE,
    expiresIn: options.expiresInSeconds ?? 900,
  });
}

/** Signs a real RS256 service token, as the user service's token endpoint does. */
export function signTestServiceToken(
  keys: TestKeyPair,
  options: { service: string; audience: string; expiresInSeconds?: number; issuer?: string },
): string {
  return jwt.sign({ [TOKEN_USE_CLAIM]: SERVICE_TOKEN_USE, client_id: options.service }, keys.privateKey, {
    algorithm: 'RS256',
    keyid: keys.kid,
    subject: options.service,
    issuer: options.issuer ?? DEFAULT_ISSUER,
    audience: options.audience,
    expiresIn: options.expiresInSeconds ?? 300,
    jwtid: randomUUID(),
  });
}

export interface JwksServer {
  url: string;
  /** The client ids and audiences of the service tokens it issued, in order. */
  tokenRequests: Array<{ clientId: string; audience: string }>;
  close(): Promise<void>;
}

/**
 * Stands in for the user service as a service depends on it: `GET /api/auth/jwks` for
 * the given keys, and the service token endpoint, which signs with the first key for
 * any client (the real endpoint's checks are the user service's own tests). Requests are
 * read and answers checked with the contract (auth-api.ts), as every stub's are.
 */
export async function serveJwks(keys: TestKeyPair[]): Promise<JwksServer> {
  const keySet = stubAnswer(getJwksRoute, 200, {
    keys: keys.map((pair) => toPublicJwk(pair.publicKey, pair.kid)),
  });
  const tokenRequests: JwksServer['tokenRequests'] = [];
  const signer = keys[0];
  const stub = await startStubServer(async (req, res) => {
    if (req.url === JWKS_PATH) return sendStubAnswer(res, keySet);
    if (req.url !== SERVICE_TOKEN_PATH || req.method !== 'POST' || !signer)
      return void res.writeHead(404).end();
    const form = stubRequest(issueServiceTokenRoute, (await readStubBody(req)) ?? {});
    const clientId = String(form.client_id);
    const audience = String(form.audience);
    tokenRequests.push({ clientId, audience });
    const token = signTestServiceToken(signer, { service: clientId, audience, expiresInSeconds: 300 });
    res.setHeader('cache-control', 'no-store');
    sendStubAnswer(
      res,
      stubAnswer(issueServiceTokenRoute, 200, { access_token: token, token_type: 'Bearer', expires_in: 300 }),
    );
  });
  return { url: stub.url, tokenRequests, close: stub.close };
}
