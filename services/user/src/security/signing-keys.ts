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
  /** Public keys of earlier signing keys, one `<kid>.pem` each (a mounted Secret in Kubernetes). */
  JWT_PREVIOUS_KEYS_DIR?: string | undefined;
  DEV_KEYS_DIR: string;
  NODE_ENV: string;
}

export interface VerificationKey {
  kid: string;
  publicKey: KeyObject;
}

/**
 * The signing key and the keys that signed before it. The JWKS publishes all of them and
 * the service verifies with all of them, so a rotation logs nobody out: tokens signed
 * with the previous key stay valid until they expire (ACCESS_TOKEN_TTL_SECONDS), new
 * ones carry the new kid.
 */
export interface KeyRing {
  current: SigningKey;
  previous: VerificationKey[];
}

const SIGNING_KEY_FILE = 'signing-key.pem';
const PREVIOUS_DIR = 'previous';
/** Earlier keys kept by a rotation: more than enough for tokens of 15 minutes. */
export const PREVIOUS_KEYS_KEPT = 2;

export function loadKeyRing(config: SigningKeyConfig, logger: Logger): KeyRing {
  const current = loadSigningKey(config, logger);
  const configured = Boolean(
    config.JWT_PRIVATE_KEY || (config.JWT_PRIVATE_KEY_FILE && fs.existsSync(config.JWT_PRIVATE_KEY_FILE)),
  );
  const dir =
    config.JWT_PREVIOUS_KEYS_DIR ??
    (configured ? undefined : path.resolve(config.DEV_KEYS_DIR, PREVIOUS_DIR));
  const previous = dir ? readPreviousKeys(dir).filter((key) => key.kid !== current.kid) : [];
  if (previous.length > 0)
    logger.info(
      { kid: current.kid, previous: previous.map((key) => key.kid) },
      'verifying earlier signing keys too',
    );
  return { current, previous };
}

/** `<kid>.pem` files, public or private PEM; a missing folder is no earlier keys. */
function readPreviousKeys(dir: string): VerificationKey[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => /^[\w.-]{1,64}\.pem$/.test(name))
    .map((name) => ({
      kid: name.slice(0, -'.pem'.length),
      publicKey: createPublicKey(fs.readFileSync(path.join(dir, name), 'utf8')),
    }));
}

/**
 * Rotates the development key ring in `dir` (what `npm run stack -- rotate-keys` runs):
 * the current key's public half goes to `previous/<kid>.pem`, a new key replaces
 * `signing-key.pem` (written aside, then renamed over it, so no reader sees half a
 * file), and only the newest PREVIOUS_KEYS_KEPT earlier keys stay. The service picks the
 * new key up when it restarts. In Kubernetes the same is done with Secrets (docs/security.md).
 */
export function rotateSigningKey(dir: string): { previousKid: string | undefined; kid: string } {
  const file = path.resolve(dir, SIGNING_KEY_FILE);
  const previousDir = path.resolve(dir, PREVIOUS_DIR);
  fs.mkdirSync(previousDir, { recursive: true, mode: 0o700 });
  let previousKid: string | undefined;
  if (fs.existsSync(file)) {
    const old = fromPem(fs.readFileSync(file, 'utf8'), undefined);
    previousKid = old.kid;
    const pem = old.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    fs.writeFileSync(path.join(previousDir, `${old.kid}.pem`), pem, { mode: 0o644 });
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), {
    mode: 0o600,
  });
  fs.renameSync(temporary, file);
  const kept = fs
    .readdirSync(previousDir)
    .filter((name) => name.endsWith('.pem'))
    .map((name) => ({ name, at: fs.statSync(path.join(previousDir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const stale of kept.slice(PREVIOUS_KEYS_KEPT)) fs.rmSync(path.join(previousDir, stale.name));
  return { previousKid, kid: thumbprintKid(createPublicKey(privateKey)) };
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
  if (config.JWT_PRIVATE_KEY_FILE) {
    // Kubernetes mounts the key from an optional Secret: in development it may be absent,
    // and the generated development key below is used instead. Production must have it.
    if (fs.existsSync(config.JWT_PRIVATE_KEY_FILE) || config.NODE_ENV === 'production')
      return fromPem(fs.readFileSync(config.JWT_PRIVATE_KEY_FILE, 'utf8'), config.JWT_KEY_ID);
    logger.warn({ file: config.JWT_PRIVATE_KEY_FILE }, 'no signing key file; using a development key');
  }
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
