import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { surgePaths } from '../native/paths';
import { instancesOf } from '../services/service-instances';
import { lifecycle } from './lifecycle';

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `npm run stack -- rotate-keys`: a new RS256 signing key for the native stack. The
 * user service's own rotation (services/user/src/rotate-signing-key.ts) moves the current
 * key to the published previous keys and writes a new one; the running user instances
 * are then restarted to sign with it. Tokens signed before stay valid until they expire
 * (the JWKS still has their key); verifiers fetch the new kid on first sight.
 */
export async function rotateKeys(): Promise<void> {
  const paths = surgePaths();
  const dir = path.join(paths.stateDir, 'keys', 'user');
  const script = path.join(paths.repoRoot, 'services', 'user', 'src', 'rotate-signing-key.ts');
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, dir], {
    encoding: 'utf8',
    cwd: paths.repoRoot,
  });
  if (result.status !== 0) throw new Error(`key rotation failed: ${result.stderr || result.stdout}`);
  const rotated = JSON.parse(result.stdout.trim()) as { previousKid?: string; kid: string };
  log(`[stack] signing key rotated: ${rotated.previousKid ?? '(none)'} -> ${rotated.kid} (in ${dir})`);
  if (instancesOf(paths, 'user').length === 0) {
    log('[stack] user is not running: it signs with the new key when it starts');
    return;
  }
  await lifecycle('restart', ['user']);
  log('[stack] user restarted; tokens signed with the previous key stay valid until they expire');
}
