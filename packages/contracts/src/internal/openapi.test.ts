import path from 'node:path';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { INTERNAL_API_ROUTES, INTERNAL_API_SERVICES, internalOpenApi } from './openapi';
import { internalOpenApiFile, staleOpenApiDocuments } from '../openapi-files';
import { errorCodesOf } from './route-contract';

const ROOT = path.resolve(__dirname, '../../../..');

describe('the internal APIs’ OpenAPI documents', () => {
  it('are checked in exactly as the contracts generate them, the public one too (run `npm run contracts:openapi`)', () => {
    expect(staleOpenApiDocuments(ROOT)).toEqual([]);
  });

  it.each(INTERNAL_API_SERVICES)(
    '%s: every route is an operation with a 2xx, a 4xx and its error codes',
    (service) => {
      const document = JSON.parse(readFileSync(internalOpenApiFile(ROOT, service), 'utf8')) as {
        openapi: string;
        paths: Record<
          string,
          Record<string, { responses: Record<string, unknown>; 'x-surge-error-codes': string[] }>
        >;
      };
      expect(document.openapi).toBe('3.1.0');
      for (const route of INTERNAL_API_ROUTES[service]) {
        const operation = document.paths[route.path]?.[route.method];
        expect(operation).toBeDefined();
        const statuses = Object.keys(operation!.responses);
        expect(statuses.some((status) => status.startsWith('2'))).toBe(true);
        if (!route.path.startsWith('/health'))
          expect(statuses.some((status) => status.startsWith('4'))).toBe(true);
        expect(operation!['x-surge-error-codes']).toEqual(errorCodesOf(route));
      }
    },
  );

  it('say which callers a route allows and how they authenticate', () => {
    const product = internalOpenApi('product') as {
      paths: Record<string, Record<string, { security: unknown[]; 'x-surge-callers'?: string[] }>>;
    };
    expect(product.paths['/internal/reservations']?.post).toMatchObject({
      security: [{ serviceToken: [] }],
      'x-surge-callers': ['order'],
    });
    const provider = internalOpenApi('payment-provider') as {
      paths: Record<string, Record<string, { security: unknown[] }>>;
    };
    expect(provider.paths['/v1/charges']?.post?.security).toEqual([]);
  });

  it('describe a body the route’s schema refuses as refused by the document too (an unknown field of a strict body)', () => {
    const charge = internalOpenApi('payment') as {
      paths: Record<
        string,
        Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>
      >;
    };
    const schema =
      charge.paths['/internal/payments/charge']?.post?.requestBody.content['application/json']?.schema;
    expect(schema).toMatchObject({
      additionalProperties: false,
      required: expect.arrayContaining(['orderId']),
    });
    expect(z.toJSONSchema(z.strictObject({}))).toMatchObject({ additionalProperties: false });
  });
});
