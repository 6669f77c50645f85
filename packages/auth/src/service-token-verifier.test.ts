import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ServiceTokenVerifier } from './service-token-verifier';
import { StaticKeys } from './remote-jwks';
import { TokenVerifier } from './token-verifier';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
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
