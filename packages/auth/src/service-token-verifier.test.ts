import jwt from 'jsonwebtoken';
import { ServiceTokenVerifier } from './service-token-verifier';
import { generateSigningKeyPair } from './signing-key-pair';
import { StaticKeys } from './remote-jwks';
import { TokenVerifier } from './token-verifier';

const { privateKey, publicKey } = generateSigningKeyPair();
const keys = new StaticKeys(new Map([['k1', publicKey]]));
const options = { keys, issuer: 'surge-user' };

function sign(claims: Record<string, unknown>, audience: string, subject = 'order'): string {
  return jwt.sign(claims, privateKey, {
    algorithm: 'RS256',
    keyid: 'k1',
    issuer: 'surge-user',
    audience,
    subject,
    expiresIn: 60,
  });
}

describe('service tokens and user tokens are never taken for each other', () => {
  const services = new ServiceTokenVerifier({ ...options, audience: 'product' });
  const users = new TokenVerifier({ ...options, audience: 'surge' });

  it('a service token for this service is accepted as a service token', async () => {
    await expect(services.verify(sign({ token_use: 'service' }, 'product'))).resolves.toEqual({
      service: 'order',
    });
  });

  it('a user verifier refuses a service token even when its audience is the users one', async () => {
    await expect(users.verify(sign({ token_use: 'service', role: 'admin' }, 'surge'))).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
    });
  });

  it.each([
    ['a user token minted for this audience', sign({ role: 'admin' }, 'product')],
    ['a service token for another service', sign({ token_use: 'service' }, 'payment')],
    ['a service token with a role', sign({ token_use: 'service', role: 'admin' }, 'product')],
    ['a subject that is no service name', sign({ token_use: 'service' }, 'product', 'Order Service')],
    ['another token_use', sign({ token_use: 'user' }, 'product')],
  ])('the service verifier refuses %s', async (_label, token) => {
    await expect(services.verify(token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });
});

describe('ServiceTokenVerifier with its cache of verified tokens', () => {
  const countingKeys = () => {
    const counter = { lookups: 0 };
    return {
      counter,
      keys: { keyFor: async (kid: string) => (counter.lookups++, keys.keyFor(kid)) },
    };
  };

  it('verifies a caller token once and answers the same principal from the cache afterwards', async () => {
    const { counter, keys: counted } = countingKeys();
    const verifier = new ServiceTokenVerifier({ keys: counted, issuer: 'surge-user', audience: 'product' });
    const token = sign({ token_use: 'service' }, 'product');
    await expect(verifier.verify(token)).resolves.toEqual({ service: 'order' });
    await expect(verifier.verify(token)).resolves.toEqual({ service: 'order' });
    expect(counter.lookups).toBe(1);
  });

  it('never answers a token from the cache past its exp', async () => {
    let now = Date.now();
    const { counter, keys: counted } = countingKeys();
    const verifier = new ServiceTokenVerifier({
      keys: counted,
      issuer: 'surge-user',
      audience: 'product',
      now: () => now,
      cache: { maxEntries: 10, maxAgeMs: 3_600_000 },
    });
    const token = sign({ token_use: 'service' }, 'product');
    await verifier.verify(token);
    now += 61_000;
    // Verified again, and refused by jsonwebtoken's own clock only if it really expired:
    // what matters here is that the cache did not answer.
    await verifier.verify(token).catch(() => undefined);
    expect(counter.lookups).toBe(2);
  });

  it('never caches a refused token: a forged signature on a cached payload is refused', async () => {
    const verifier = new ServiceTokenVerifier({ ...options, audience: 'product' });
    const token = sign({ token_use: 'service' }, 'product');
    await verifier.verify(token);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(342)}`;
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('a token refused for its audience stays refused after a valid one was cached', async () => {
    const verifier = new ServiceTokenVerifier({ ...options, audience: 'product' });
    await verifier.verify(sign({ token_use: 'service' }, 'product'));
    await expect(verifier.verify(sign({ token_use: 'service' }, 'payment'))).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
    });
  });
});
