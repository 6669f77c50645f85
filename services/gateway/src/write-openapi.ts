import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { OPENAPI_FILE, renderOpenApi } from './entry-points/http/openapi-document';

/**
 * `npm run contracts:openapi`: writes the public API's OpenAPI document, generated from
 * the zod schemas in packages/contracts/src/public, where the gateway serves it from.
 */
writeFileSync(OPENAPI_FILE, renderOpenApi());
process.stdout.write(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}\n`);
