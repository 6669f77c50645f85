import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A scratch directory for one run (configs, logs, profiles), kept for a look afterwards. */
export function makeWorkDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `surge-bench-${name}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** A port nothing listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
