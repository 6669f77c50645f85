import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * A new RSA key pair to sign with. The generated objects are not the ones returned: the
 * private key is exported and imported again. Node 20 can deadlock a thread that reads a
 * freshly generated key's details (jsonwebtoken's `sign` reads `asymmetricKeyDetails`)
 * while the garbage collector destroys the generation job that still holds that same key:
 * the job's destructor waits for the key's lock, which the reading thread holds. A CI run
 * hung on exactly that (a worker parked in `KeyGenJob::~KeyGenJob` under
 * `GetRsaKeyDetail`); an imported key shares nothing with the job.
 */
export function generateSigningKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  const generated = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const privateKey = createPrivateKey(generated.export({ type: 'pkcs8', format: 'pem' }));
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
