import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { getJwksRoute, issueServiceTokenRoute, serviceTokenRequest, stubAnswer } from '@surge/contracts';
import {
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  SERVICE_TOKEN_PATH,
  SERVICE_TOKEN_USE,
  TOKEN_USE_CLAIM,
  toPublicJwk,
  type Role,
} from '@surge/auth';

export interface TestKeyPair {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A real RSA key pair, so tests sign tokens exactly as the user service does. */
export function createTestKeyPair(): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
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
  server: Server;
  /** The client ids and audiences of the service tokens it issued, in order. */
  tokenRequests: Array<{ clientId: string; audience: string }>;
  close(): Promise<void>;
}

/**
 * Stands in for the user service as a service depends on it: `GET /api/auth/jwks` for
 * the given keys, and the service token endpoint, which signs with the first key for
 * any client (the real endpoint's checks are the user service's own tests).
 */
export async function serveJwks(keys: TestKeyPair[]): Promise<JwksServer> {
  // Answers checked against the contract (packages/contracts, auth-api.ts), as every stub's are.
  const body = JSON.stringify(
    stubAnswer(getJwksRoute, 200, { keys: keys.map((pair) => toPublicJwk(pair.publicKey, pair.kid)) }).body,
  );
  const tokenRequests: JwksServer['tokenRequests'] = [];
  const server = createServer((req, res) => {
    if (req.url === '/api/auth/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } else if (req.url === SERVICE_TOKEN_PATH && req.method === 'POST' && keys[0]) {
      const signer = keys[0];
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const form = serviceTokenRequest.parse(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
        const clientId = String(form.client_id);
        const audience = String(form.audience);
        tokenRequests.push({ clientId, audience });
        const token = signTestServiceToken(signer, { service: clientId, audience, expiresInSeconds: 300 });
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(
          JSON.stringify(
            stubAnswer(issueServiceTokenRoute, 200, {
              access_token: token,
              token_type: 'Bearer',
              expires_in: 300,
            }).body,
          ),
        );
      });
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    tokenRequests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
