/**
 * Rotates a development signing key ring: `tsx services/user/src/rotate-signing-key.ts
 * <DEV_KEYS_DIR>`. `npm run stack -- rotate-keys` runs it on the native stack's ring and
 * restarts the user service. Prints one JSON line: the previous and the new kid.
 */
import { rotateSigningKey } from './security/signing-keys';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: rotate-signing-key <keys dir>\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(rotateSigningKey(dir))}\n`);
