import fs from 'node:fs';
import path from 'node:path';
import type { ConfigDefaults } from './config';

/**
 * The service's name and version from the package.json nearest to the main script
 * (`services/order/dist/main.js` -> `@surge/order` 0.1.0 -> "order"). The register file
 * runs before the main module loads, so `process.argv[1]` is all there is to go by.
 */
export function mainPackageDefaults(mainScript: string | undefined): ConfigDefaults {
  const fallback = { serviceName: 'unknown_service:node', serviceVersion: '0.0.0' };
  if (!mainScript) return fallback;
  let dir = path.dirname(path.resolve(mainScript));
  for (;;) {
    const file = path.join(dir, 'package.json');
    const found = readPackage(file);
    if (found) {
      return {
        serviceName: found.name?.replace(/^@surge\//, '') ?? fallback.serviceName,
        serviceVersion: found.version ?? fallback.serviceVersion,
      };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return fallback;
    dir = parent;
  }
}

function readPackage(file: string): { name?: string; version?: string } | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
    return {
      ...(typeof parsed.name === 'string' ? { name: parsed.name } : {}),
      ...(typeof parsed.version === 'string' ? { version: parsed.version } : {}),
    };
  } catch {
    return undefined;
  }
}
