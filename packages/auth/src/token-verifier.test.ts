import jwt from 'jsonwebtoken';
import { StaticKeys } from './remote-jwks';
import { generateSigningKeyPair } from './signing-key-pair';
import { TokenVerifier } from './token-verifier';

const { privateKey, publicKey } = generateSigningKeyPair();
const KID = 'k1';

function sign(payload: Record<string, unknown>, expiresInSeconds = 900): string {
  return jwt.sign({ role: 'customer', ...payload }, privateKey, {
    algorithm: 'RS256',
    keyid: KID,
    issuer: 'surge-user',
    audience: 'surge',
    expiresIn: expiresInSeconds,
  });
}

/** A key source that counts lookups: each verification that does real work asks for the key. */
function countingKeys() {
  const keys = new StaticKeys(new Map([[KID, publicKey]]));
  const counter = { lookups: 0 };
  return {
    counter,
    source: {
      keyFor: (kid: string) => {
        counter.lookups += 1;
        return keys.keyFor(kid);
      },
    },
  };
}

describe('TokenVerifier with its cache of verified tokens', () => {
  it('verifies a token once and answers the same principal from the cache afterwards', async () => {
    const { counter, source } = countingKeys();
    const verifier = new TokenVerifier({ keys: source, issuer: 'surge-user', audience: 'surge' });
    const token = sign({ sub: 'user-1' });
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'user-1', role: 'customer' });
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'user-1', role: 'customer' });
    expect(counter.lookups).toBe(1);
    expect(verifier.verifiedBefore(token)).toEqual({ userId: 'user-1', role: 'customer' });
  });

  it('never answers a token from the cache past its exp', async () => {
    let now = Date.now();
    const { source } = countingKeys();
    const verifier = new TokenVerifier({
      keys: source,
      issuer: 'surge-user',
      audience: 'surge',
      now: () => now,
      cache: { maxEntries: 10, maxAgeMs: 3_600_000 },
    });
    const token = sign({ sub: 'user-2' }, 60);
    await verifier.verify(token);
    now += 61_000;
    expect(verifier.verifiedBefore(token)).toBeUndefined();
  });

  it('verifies again after the max age, and forgets the least recently used token first', async () => {
    let now = Date.now();
    const { counter, source } = countingKeys();
    const verifier = new TokenVerifier({
      keys: source,
      issuer: 'surge-user',
      audience: 'surge',
      now: () => now,
      cache: { maxEntries: 2, maxAgeMs: 1_000 },
    });
    const [a, b, c] = [sign({ sub: 'a' }), sign({ sub: 'b' }), sign({ sub: 'c' })];
    await verifier.verify(a);
    await verifier.verify(b);
    await verifier.verify(a); // a is now the most recently used
    await verifier.verify(c); // b goes
    expect(verifier.verifiedBefore(a)).toBeDefined();
    expect(verifier.verifiedBefore(b)).toBeUndefined();
    now += 1_001;
    await verifier.verify(a);
    expect(counter.lookups).toBe(4);
  });

  it('never caches a refused token: a forged signature on a cached payload is refused', async () => {
    const { source } = countingKeys();
    const verifier = new TokenVerifier({ keys: source, issuer: 'surge-user', audience: 'surge' });
    const token = sign({ sub: 'user-3' });
    await verifier.verify(token);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(342)}`;
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    expect(verifier.verifiedBefore(forged)).toBeUndefined();
  });
});
