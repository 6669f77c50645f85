import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { DependencyError, UpstreamContractError } from '@surge/errors';
import { ServiceClient } from '@surge/http-client';
import { toPublicJwk } from './jwk';
import { RemoteJwks } from './remote-jwks';

/** RemoteJwks against a real HTTP server: the key set is read against the JWKS contract. */
let server: Server;
let body: unknown;
let client: ServiceClient;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new ServiceClient({
    name: 'user',
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
});
afterAll(async () => {
  await client.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('RemoteJwks', () => {
  it('loads the keys of a key set that keeps the contract', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    body = { keys: [toPublicJwk(publicKey, 'k1')] };
    const jwks = new RemoteJwks({ client });
    expect((await jwks.keyFor('k1'))?.asymmetricKeyType).toBe('rsa');
  });

  it('takes no key from a key set outside the contract: the issuer counts as unavailable', async () => {
    body = { keys: [{ kty: 'EC', kid: 'k1', crv: 'P-256', x: 'x', y: 'y' }] };
    const jwks = new RemoteJwks({ client });
    const attempt = jwks.keyFor('k1');
    await expect(attempt).rejects.toBeInstanceOf(DependencyError);
    await expect(attempt).rejects.toMatchObject({ cause: expect.any(UpstreamContractError) });
  });
});
