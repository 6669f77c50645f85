import path from 'node:path';
import { writeOpenApiDocuments } from '../openapi-files';

/**
 * `npm run contracts:openapi`: writes every OpenAPI document from the contracts, the
 * public one where the gateway serves it from and the internal APIs' under
 * docs/openapi/internal, in one process. Run it after changing a schema in
 * packages/contracts and commit the result; packages/contracts' tests fail while a
 * checked-in document is stale.
 */
const root = path.resolve(__dirname, '../../../..');
for (const file of writeOpenApiDocuments(root)) process.stdout.write(`wrote ${file}\n`);
