import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, toPublicJwk, type Role } from '@surge/auth';

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

export interface JwksServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves `GET /api/auth/jwks` for the given keys on a port of its own (port 0). */
export async function serveJwks(keys: TestKeyPair[]): Promise<JwksServer> {
  const body = JSON.stringify({ keys: keys.map((pair) => toPublicJwk(pair.publicKey, pair.kid)) });
  const server = createServer((req, res) => {
    if (req.url === '/api/auth/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
