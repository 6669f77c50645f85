import { z } from 'zod';
import { AUTH_ROUTES } from './auth-api';
import { healthRoutesOf } from './health';
import { PAYMENT_INTERNAL_ROUTES } from './payment-api';
import { PRODUCT_INTERNAL_ROUTES } from './product-api';
import { PROVIDER_ROUTES } from './provider-api';
import { errorCodesOf, type InternalService, type RouteContract } from './route-contract';

/**
 * The OpenAPI 3.1 document of each service's internal API, generated from the route
 * contracts (zod 4's JSON Schema output, draft 2020-12, which is OpenAPI 3.1's dialect).
 * `npm run contracts:openapi` writes them to docs/openapi/internal/; a test fails when
 * the checked-in copy differs, and each service serves its own on the admin listener.
 */
export const INTERNAL_API_ROUTES: Readonly<Record<InternalService, readonly RouteContract[]>> = {
  product: [...PRODUCT_INTERNAL_ROUTES, ...healthRoutesOf('product')],
  payment: [...PAYMENT_INTERNAL_ROUTES, ...healthRoutesOf('payment')],
  'payment-provider': [...PROVIDER_ROUTES, ...healthRoutesOf('payment-provider')],
  user: [...AUTH_ROUTES, ...healthRoutesOf('user')],
};

export const INTERNAL_API_SERVICES = Object.keys(INTERNAL_API_ROUTES) as InternalService[];

const TITLES: Record<InternalService, { title: string; port: number; description: string }> = {
  product: {
    title: 'Surge product service: internal API',
    port: 3002,
    description: 'Catalog lookups and stock reservations for the checkout saga (docs/internal-apis.md).',
  },
  payment: {
    title: 'Surge payment service: internal API',
    port: 3004,
    description: 'Charges, cancellations and refunds for the checkout saga (docs/internal-apis.md).',
  },
  'payment-provider': {
    title: 'Surge payment provider simulator',
    port: 3010,
    description:
      'The card processor the payment service calls (docs/internal-apis.md, "Provider simulator").',
  },
  user: {
    title: 'Surge user service: keys and service tokens',
    port: 3001,
    description: 'The JWKS every service verifies tokens with, and the token endpoint for services.',
  },
};

type JsonSchema = Record<string, unknown>;

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

function parametersOf(route: RouteContract): JsonSchema[] {
  const of = (where: 'path' | 'header', shape: z.ZodObject | undefined) =>
    Object.entries(shape?.shape ?? {}).map(([name, schema]) => {
      const json = jsonSchemaOf(schema as z.ZodType, 'input');
      const { description, ...rest } = json;
      return {
        name,
        in: where,
        required: true,
        description: typeof description === 'string' ? description : name,
        schema: rest,
      };
    });
  return [...of('path', route.params), ...of('header', route.headers)];
}

/** Health probes under their own tag; the service's API under its name. */
const tagOf = (route: RouteContract): string => (route.path.startsWith('/health') ? 'health' : route.service);

function operationOf(route: RouteContract): JsonSchema {
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, answer]) => {
      const mediaType = Number(status) >= 400 ? 'application/problem+json' : 'application/json';
      const headers = answer.headers
        ? Object.fromEntries(
            Object.entries(answer.headers).map(([name, description]) => [
              name,
              { description, schema: { type: 'string' } },
            ]),
          )
        : undefined;
      const codes = answer.codes ? ` Codes: ${answer.codes.map((code) => `\`${code}\``).join(', ')}.` : '';
      return [
        status,
        {
          description: `${answer.description}.${codes}`,
          ...(headers ? { headers } : {}),
          content: { [mediaType]: { schema: jsonSchemaOf(answer.body, 'output') } },
        },
      ];
    }),
  );
  const parameters = parametersOf(route);
  return {
    operationId: route.operationId,
    tags: [tagOf(route)],
    summary: route.summary,
    description: route.description,
    ...(route.callers
      ? { security: [{ serviceToken: [] }], 'x-surge-callers': [...route.callers] }
      : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              (route.bodyMediaTypes ?? ['application/json']).map((type) => [
                type,
                { schema: jsonSchemaOf(route.body!, 'input') },
              ]),
            ),
          },
        }
      : {}),
    responses,
    'x-surge-error-codes': errorCodesOf(route),
  };
}

/** The OpenAPI 3.1 document of `service`'s internal API. */
export function internalOpenApi(service: InternalService): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of INTERNAL_API_ROUTES[service]) {
    paths[route.path] = { ...paths[route.path], [route.method]: operationOf(route) };
  }
  const { title, port, description } = TITLES[service];
  const hasServiceAuth = INTERNAL_API_ROUTES[service].some((route) => route.callers);
  return {
    openapi: '3.1.0',
    info: {
      title,
      version: '1.0.0',
      description: `${description} Generated from packages/contracts/src/internal by \`npm run contracts:openapi\`: do not edit.`,
      license: { name: 'MIT', identifier: 'MIT' },
      contact: { name: 'The Surge maintainers' },
    },
    servers: [{ url: `http://127.0.0.1:${port}`, description: 'Local development' }],
    tags: [
      { name: service, description },
      { name: 'health', description: 'Liveness and readiness, for orchestrators' },
    ],
    paths,
    components: hasServiceAuth
      ? {
          securitySchemes: {
            serviceToken: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description:
                'A service token for this service from POST /internal/auth/token (client credentials); ' +
                'each operation names the callers it allows in `x-surge-callers`.',
            },
          },
        }
      : {},
  };
}

/** The document as it is written to disk: stable key order, two-space indent, final newline. */
export function internalOpenApiText(service: InternalService): string {
  return `${JSON.stringify(internalOpenApi(service), null, 2)}\n`;
}
