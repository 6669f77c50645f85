import jwt from 'jsonwebtoken';
import { generateSigningKeyPair } from './signing-key-pair';

describe('generateSigningKeyPair', () => {
  it('gives a 2048-bit RSA pair whose private key signs what its public key verifies', () => {
    const { privateKey, publicKey } = generateSigningKeyPair();

    expect(privateKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048 });
    const token = jwt.sign({ sub: 'u1' }, privateKey, { algorithm: 'RS256' });
    expect(jwt.verify(token, publicKey, { algorithms: ['RS256'] })).toMatchObject({ sub: 'u1' });
  });

  it('gives a new pair each time', () => {
    const der = () => generateSigningKeyPair().publicKey.export({ type: 'spki', format: 'der' });

    expect(der().equals(der())).toBe(false);
  });
});
