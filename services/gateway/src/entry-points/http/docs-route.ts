import type { RequestHandler } from 'express';
import type { LoadedOpenApi } from './openapi-document';

/** `GET /docs` and `GET /docs/openapi.json`: the OpenAPI document of the public contract. */
export function docsRoute(openapi: LoadedOpenApi): RequestHandler {
  return (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    // A JSON document: nothing in it may run, load anything or be framed, even if a
    // browser is talked into rendering it.
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; sandbox");
    res.type('application/json').send(openapi.json);
  };
}
