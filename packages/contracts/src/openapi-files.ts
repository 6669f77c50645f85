import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { INTERNAL_API_SERVICES, internalOpenApiText } from './internal/openapi';
import type { InternalService } from './internal/route-contract';
import { buildPublicOpenApi } from './public/openapi/build-document';

/**
 * Every OpenAPI document the contracts generate, and where each is checked in: one list
 * for the one writer (`npm run contracts:openapi`) and the one staleness check, so a new
 * document cannot be written by one and forgotten by the other.
 */

/** Where the gateway serves the public document from (its openapi-document.ts reads it there). */
export const PUBLIC_OPENAPI_FILE = 'services/gateway/openapi/openapi.json';
/** The internal APIs' documents, one per service. */
export const INTERNAL_OPENAPI_DIR = 'docs/openapi/internal';

/** The public document as the checked-in file holds it: two-space JSON and a final newline. */
export function publicOpenApiText(): string {
  return `${JSON.stringify(buildPublicOpenApi(), null, 2)}\n`;
}

export function internalOpenApiFile(rootDir: string, service: InternalService): string {
  return path.join(rootDir, INTERNAL_OPENAPI_DIR, `${service}.openapi.json`);
}

export interface OpenApiDocumentFile {
  /** Relative to the repository root. */
  file: string;
  text(): string;
}

export function openApiDocumentFiles(): OpenApiDocumentFile[] {
  return [
    { file: PUBLIC_OPENAPI_FILE, text: publicOpenApiText },
    ...INTERNAL_API_SERVICES.map((service) => ({
      file: path.join(INTERNAL_OPENAPI_DIR, `${service}.openapi.json`),
      text: () => internalOpenApiText(service),
    })),
  ];
}

/** Writes every document; returns the files written, relative to `rootDir`. */
export function writeOpenApiDocuments(rootDir: string): string[] {
  return openApiDocumentFiles().map(({ file, text }) => {
    const target = path.join(rootDir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text());
    return file;
  });
}

/** The documents whose checked-in file differs from what the contracts generate (or is missing). */
export function staleOpenApiDocuments(rootDir: string): string[] {
  return openApiDocumentFiles()
    .filter(({ file, text }) => {
      try {
        return readFileSync(path.join(rootDir, file), 'utf8') !== text();
      } catch {
        return true;
      }
    })
    .map(({ file }) => file);
}
