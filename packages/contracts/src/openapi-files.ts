import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { INTERNAL_API_SERVICES, internalOpenApiText } from './openapi';
import type { InternalService } from './route-contract';

/** Where the generated documents are checked in, relative to the repository root. */
export const INTERNAL_OPENAPI_DIR = 'docs/openapi/internal';

export function internalOpenApiFile(rootDir: string, service: InternalService): string {
  return path.join(rootDir, INTERNAL_OPENAPI_DIR, `${service}.openapi.json`);
}

/** Writes every service's document; returns the files written. */
export function writeInternalOpenApi(rootDir: string): string[] {
  mkdirSync(path.join(rootDir, INTERNAL_OPENAPI_DIR), { recursive: true });
  return INTERNAL_API_SERVICES.map((service) => {
    const file = internalOpenApiFile(rootDir, service);
    writeFileSync(file, internalOpenApiText(service));
    return file;
  });
}

/** The services whose checked-in document differs from what the contracts generate. */
export function staleInternalOpenApi(rootDir: string): InternalService[] {
  return INTERNAL_API_SERVICES.filter((service) => {
    try {
      return readFileSync(internalOpenApiFile(rootDir, service), 'utf8') !== internalOpenApiText(service);
    } catch {
      return true;
    }
  });
}
