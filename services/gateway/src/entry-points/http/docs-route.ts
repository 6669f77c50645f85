import type { RequestHandler } from 'express';
import type { LoadedOpenApi } from './openapi-document';

/** `GET /docs` and `GET /docs/openapi.json`: the OpenAPI document of the public contract. */
export function docsRoute(openapi: LoadedOpenApi): RequestHandler {
  return (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/json').send(openapi.json);
  };
}
