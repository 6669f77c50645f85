import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '@surge/logger';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface SigningKeyConfig {
  JWT_PRIVATE_KEY?: string | undefined;
  JWT_PRIVATE_KEY_FILE?: string | undefined;
  JWT_KEY_ID?: string | undefined;
  DEV_KEYS_DIR: string;
  NODE_ENV: string;
}

/** A stable id derived from the public key, so every instance with the same key agrees on it. */
function thumbprintKid(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url').slice(0, 16);
}

function fromPem(pem: string, kid: string | undefined): SigningKey {
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  return { kid: kid ?? thumbprintKid(publicKey), privateKey, publicKey };
}

/**
 * The RS256 signing key: configured (env PEM or file) or, outside production, generated
 * once into an ignored folder so it survives restarts and is never committed. Several
 * local instances share the file; config validation stops production without a key.
 */
export function loadSigningKey(config: SigningKeyConfig, logger: Logger): SigningKey {
  if (config.JWT_PRIVATE_KEY) return fromPem(config.JWT_PRIVATE_KEY, config.JWT_KEY_ID);
  if (config.JWT_PRIVATE_KEY_FILE)
    return fromPem(fs.readFileSync(config.JWT_PRIVATE_KEY_FILE, 'utf8'), config.JWT_KEY_ID);
  if (config.NODE_ENV === 'production') throw new Error('production needs a configured signing key');
  const file = path.resolve(config.DEV_KEYS_DIR, 'signing-key.pem');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    // Written whole to a temporary file, then linked into place: link() fails if the file
    // exists, so when replicas start together one key wins and nobody reads half a file.
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(temporary, pem, { mode: 0o600 });
    try {
      fs.linkSync(temporary, file);
      logger.info({ file }, 'generated a development signing key');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }
  return fromPem(fs.readFileSync(file, 'utf8'), config.JWT_KEY_ID);
}
