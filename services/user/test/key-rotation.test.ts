import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uniqueEmail } from '@surge/testing';
import { rotateSigningKey } from '../src/security/signing-keys';
import { call, registerAndLogin, startTestUserService, type TestUserService } from './support';

/**
 * A signing-key rotation (what `npm run stack -- rotate-keys` does): tokens signed with
 * the old key stay valid until they expire, new ones carry the new kid, and the JWKS
 * publishes both, so verifiers elsewhere accept both too.
 */
const kidOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid: string }).kid;

describe('rotating the signing key', () => {
  let service: TestUserService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  it('keeps old tokens valid, signs new ones with the new kid, and publishes both keys', async () => {
    const keysDir = mkdtempSync(path.join(tmpdir(), 'surge-rotation-'));
    service = await startTestUserService({ DEV_KEYS_DIR: keysDir });
    const databaseUrl = service.config.DATABASE_URL;
    const before = await registerAndLogin(service.url, uniqueEmail());
    await service.stop();

    const rotated = rotateSigningKey(keysDir);
    service = await startTestUserService({ DEV_KEYS_DIR: keysDir, DATABASE_URL: databaseUrl });
    const after = await registerAndLogin(service.url, uniqueEmail());
    const jwks = await call<{ keys: Array<{ kid: string }> }>(service.url, 'GET', '/api/auth/jwks');
    const oldTokenMe = await call(service.url, 'GET', '/api/users/me', { token: before.tokens.accessToken });
    const newTokenMe = await call(service.url, 'GET', '/api/users/me', { token: after.tokens.accessToken });

    expect(rotated.previousKid).toBe(kidOf(before.tokens.accessToken));
    expect(kidOf(after.tokens.accessToken)).toBe(rotated.kid);
    expect(rotated.kid).not.toBe(rotated.previousKid);
    expect(jwks.body.keys.map((key) => key.kid).sort()).toEqual([rotated.kid, rotated.previousKid].sort());
    expect(oldTokenMe.status).toBe(200);
    expect(newTokenMe.status).toBe(200);
  });

  it('retires a key after two more rotations: its tokens are refused then', async () => {
    const keysDir = mkdtempSync(path.join(tmpdir(), 'surge-rotation-'));
    service = await startTestUserService({ DEV_KEYS_DIR: keysDir });
    const databaseUrl = service.config.DATABASE_URL;
    const oldest = await registerAndLogin(service.url, uniqueEmail());
    await service.stop();

    for (let i = 0; i < 3; i += 1) rotateSigningKey(keysDir);
    service = await startTestUserService({ DEV_KEYS_DIR: keysDir, DATABASE_URL: databaseUrl });
    const jwks = await call<{ keys: Array<{ kid: string }> }>(service.url, 'GET', '/api/auth/jwks');
    const me = await call(service.url, 'GET', '/api/users/me', { token: oldest.tokens.accessToken });

    expect(jwks.body.keys).toHaveLength(3);
    expect(jwks.body.keys.map((key) => key.kid)).not.toContain(kidOf(oldest.tokens.accessToken));
    expect(me.status).toBe(401);
  });
});
