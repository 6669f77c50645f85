import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Generated from @surge/contracts by `npm run contracts:openapi` (its PUBLIC_OPENAPI_FILE is this file) and checked in beside the
 * package (`openapi/openapi.json`), so it can be read, diffed and fuzzed without running
 * anything; a test fails when it differs from what the code generates. The same relative
 * path works from src/ and dist/.
 */
export const OPENAPI_FILE = path.resolve(__dirname, '../../../openapi/openapi.json');

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, unknown>;
}

export interface LoadedOpenApi {
  document: OpenApiDocument;
  /** Serialized once at start; every `/docs/openapi.json` answer sends these bytes. */
  json: string;
}

/**
 * Reads and sanity-checks the document at start, so a broken file stops the gateway
 * from starting instead of serving garbage at /docs.
 */
export function loadOpenApiDocument(file: string = OPENAPI_FILE): LoadedOpenApi {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isOpenApiDocument(parsed)) throw new Error(`${file} is not an OpenAPI 3.1 document with paths`);
  return { document: parsed, json: JSON.stringify(parsed) };
}

function isOpenApiDocument(value: unknown): value is OpenApiDocument {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Partial<OpenApiDocument>;
  return (
    typeof candidate.openapi === 'string' &&
    candidate.openapi.startsWith('3.1') &&
    typeof candidate.info?.title === 'string' &&
    !!candidate.paths &&
    typeof candidate.paths === 'object'
  );
}
