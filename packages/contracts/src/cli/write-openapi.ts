import path from 'node:path';
import { writeInternalOpenApi } from '../internal/openapi-files';

/**
 * `npm run contracts:openapi`: writes the internal APIs' OpenAPI documents from the
 * contracts. Run it after changing a schema in packages/contracts/src/internal and commit
 * the result; packages/contracts' tests fail while a checked-in document is stale.
 */
const root = path.resolve(__dirname, '../../../..');
for (const file of writeInternalOpenApi(root)) process.stdout.write(`wrote ${path.relative(root, file)}\n`);
