import { ROUTE_TABLE } from '../../domain/route-table';
import { loadOpenApiDocument } from './openapi-document';

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
  ['get', '/metrics'],
  ['get', '/docs'],
];

describe('the OpenAPI document', () => {
  const { document, json } = loadOpenApiDocument();

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
    const own = ['/health', '/health/live', '/health/ready', '/metrics', '/docs'];
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
      expect.arrayContaining(['201', '202', '402', '409', '422']),
    );
    expect(placeOrder.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    expect(document.components).toMatchObject({
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    });
  });
});
