import { ROUTE_TABLE } from '../../domain/route-table';
import { readFileSync } from 'node:fs';
import { publicOpenApiText } from '@surge/contracts';
import { loadOpenApiDocument, OPENAPI_FILE } from './openapi-document';

const CONTRACT_OPERATIONS: Array<[string, string]> = [
  ['post', '/api/auth/register'],
  ['post', '/api/auth/login'],
  ['post', '/api/auth/refresh'],
  ['post', '/api/auth/logout'],
  ['get', '/api/auth/jwks'],
  ['get', '/api/users/me'],
  ['patch', '/api/users/me'],
  ['get', '/api/products'],
  ['post', '/api/products'],
  ['get', '/api/products/{id}'],
  ['patch', '/api/products/{id}'],
  ['get', '/api/categories'],
  ['get', '/api/cart'],
  ['delete', '/api/cart'],
  ['put', '/api/cart/items/{productId}'],
  ['delete', '/api/cart/items/{productId}'],
  ['post', '/api/orders'],
  ['get', '/api/orders'],
  ['get', '/api/orders/{id}'],
  ['post', '/api/orders/{id}/cancel'],
  ['get', '/api/payments'],
  ['get', '/api/notifications'],
  ['get', '/health'],
  ['get', '/health/live'],
  ['get', '/health/ready'],
  ['get', '/docs'],
  ['get', '/docs/openapi.json'],
];

describe('the OpenAPI document', () => {
  const { document, json } = loadOpenApiDocument();

  it('is the one the contract generates: run `npm run contracts:openapi` after changing packages/contracts', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(publicOpenApiText());
  });

  it('parses as OpenAPI 3.1', () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(JSON.parse(json)).toEqual(document);
  });

  it('documents every operation of the contract', () => {
    const missing = CONTRACT_OPERATIONS.filter(([method, path]) => !document.paths[path]?.[method]);
    expect(missing).toEqual([]);
  });

  it("has a path for every route in the gateway's route table", () => {
    const paths = Object.keys(document.paths);
    const undocumented = ROUTE_TABLE.filter(
      (rule) => !paths.some((path) => path === rule.prefix || path.startsWith(`${rule.prefix}/`)),
    );
    expect(undocumented).toEqual([]);
  });

  it('documents no path the gateway would not route or serve itself', () => {
    const own = ['/health', '/health/live', '/health/ready', '/docs', '/docs/openapi.json'];
    const unroutable = Object.keys(document.paths).filter(
      (path) =>
        !own.includes(path) &&
        !ROUTE_TABLE.some((rule) => path === rule.prefix || path.startsWith(`${rule.prefix}/`)),
    );
    expect(unroutable).toEqual([]);
  });

  it('resolves every internal $ref', () => {
    const refs = json.match(/"\$ref":"#\/[^"]+"/g) ?? [];
    const unresolved = refs
      .map((ref) => ref.slice('"$ref":"#/'.length, -1))
      .filter(
        (pointer) =>
          pointer
            .split('/')
            .reduce<unknown>(
              (node, key) => (node as Record<string, unknown> | undefined)?.[key],
              document,
            ) === undefined,
      );
    expect(unresolved).toEqual([]);
  });

  it('describes the place-order answers, the idempotency key and bearer auth', () => {
    const placeOrder = document.paths['/api/orders']?.post as {
      responses: Record<string, unknown>;
      parameters: Array<{ $ref?: string }>;
    };
    expect(Object.keys(placeOrder.responses)).toEqual(
      expect.arrayContaining([
        '200',
        '201',
        '202',
        '400',
        '401',
        '402',
        '404',
        '409',
        '413',
        '415',
        '422',
        '429',
        '503',
        '504',
      ]),
    );
    expect(placeOrder.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    expect(document.components).toMatchObject({
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    });
  });
});

describe('OpenAPI links', () => {
  const { document } = loadOpenApiDocument();
  const operationIds = new Set(
    Object.values(document.paths).flatMap((operations) =>
      Object.values(operations).map((operation) => (operation as { operationId?: string }).operationId),
    ),
  );

  it('lead from a placed order to reading it, cancelling it and its payments', () => {
    const placed = (document.paths['/api/orders']?.post as { responses: Record<string, { links?: object }> })
      .responses;

    for (const status of ['200', '201', '202'])
      expect(placed[status]?.links).toMatchObject({
        GetOrder: { operationId: 'getOrder', parameters: { id: '$response.body#/id' } },
        CancelOrder: { operationId: 'cancelOrder', parameters: { id: '$response.body#/id' } },
        ListOrderPayments: { operationId: 'listPayments', parameters: { orderId: '$response.body#/id' } },
      });
  });

  it('name only operations the document has', () => {
    const named = JSON.stringify(document.paths).match(/"operationId":"[^"]+"/g) ?? [];
    const unknown = named.map((entry) => entry.slice(15, -1)).filter((id) => !operationIds.has(id));
    expect(unknown).toEqual([]);
  });
});
