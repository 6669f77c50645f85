import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Express, RequestHandler } from 'express';
import type { LoadedOpenApi } from './openapi-document';

/**
 * `/docs`: the API reference people read, Swagger UI (swagger-ui-dist, Apache-2.0) served
 * from the package itself, so it works offline and loads nothing from elsewhere; and
 * `/docs/openapi.json`, the generated document it renders, which tools fetch.
 *
 * The page runs under a strict Content-Security-Policy: scripts and styles only from
 * this origin (no inline script: the start-up code is a file of its own), calls only to
 * this origin (the "try it out" requests), no framing, no forms, no plugins.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A JSON document: nothing in it may run, load anything or be framed, even if a browser renders it. */
const DOCUMENT_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

const SWAGGER_UI = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Surge public API reference</title>
    <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  </head>
  <body>
    <main id="reference" aria-label="Surge public API reference"></main>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/assets/start.js"></script>
  </body>
</html>
`;

/** Swagger UI over the document; no request goes anywhere but this origin. */
const START = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/docs/openapi.json',
    dom_id: '#reference',
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
  });
});
`;

interface Asset {
  type: string;
  body: Buffer;
}

/** Read once at start: four files, served from memory with a day of caching. */
function loadAssets(): Map<string, Asset> {
  const fromPackage = (file: string, type: string): [string, Asset] => [
    file,
    { type, body: readFileSync(path.join(SWAGGER_UI, file)) },
  ];
  return new Map([
    fromPackage('swagger-ui.css', 'text/css; charset=utf-8'),
    fromPackage('swagger-ui-bundle.js', 'text/javascript; charset=utf-8'),
    fromPackage('favicon-32x32.png', 'image/png'),
    ['start.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from(START) }],
  ]);
}

export function mountDocsRoutes(app: Express, openapi: LoadedOpenApi): void {
  const assets = loadAssets();

  app.get('/docs', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('Content-Security-Policy', DOCS_CSP);
    res.type('text/html; charset=utf-8').send(PAGE);
  });

  app.get('/docs/openapi.json', documentRoute(openapi));

  app.get('/docs/assets/:file', (req, res, next) => {
    const asset = assets.get(req.params.file);
    if (!asset) return next();
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.setHeader('Content-Security-Policy', DOCUMENT_CSP);
    res.type(asset.type).send(asset.body);
  });
}

function documentRoute(openapi: LoadedOpenApi): RequestHandler {
  return (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('Content-Security-Policy', DOCUMENT_CSP);
    res.type('application/json').send(openapi.json);
  };
}
