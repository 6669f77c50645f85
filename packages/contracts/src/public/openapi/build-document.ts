import { errorsOf, PUBLIC_ROUTES, type Answer, type PublicRoute } from '../routes';
import { componentSchemas, propertiesOf, schemaOf, type JsonSchema } from './json-schema';
import { COMPONENT_HEADERS, COMPONENT_PARAMETERS, INFO, SECURITY_SCHEMES, TAGS } from './document-texts';

/**
 * The public API's OpenAPI 3.1 document, generated from the contract (routes.ts and the
 * schemas it names). `npm run contracts:openapi` writes it where the gateway serves it
 * from; a test fails when the checked-in file differs from what this builds.
 */
export function buildPublicOpenApi(): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of PUBLIC_ROUTES) (paths[route.path] ??= {})[route.method] = operationOf(route);
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: INFO,
    // Relative: the gateway that serves the document (`npm start`'s is http://127.0.0.1:8080),
    // so the reference page's requests stay on its own origin.
    servers: [{ url: '/', description: 'The gateway that serves this document' }],
    tags: TAGS,
    paths,
    components: {
      securitySchemes: SECURITY_SCHEMES,
      headers: COMPONENT_HEADERS,
      parameters: COMPONENT_PARAMETERS,
      schemas: componentSchemas(),
    },
  };
}

function operationOf(route: PublicRoute): JsonSchema {
  const proxied = route.access !== 'gateway';
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    description: route.description ?? route.summary,
    ...(proxied
      ? { security: route.access === 'public' ? [{}, { bearerAuth: [] }] : [{ bearerAuth: [] }] }
      : {}),
    ...(!proxied ? { security: [] } : {}),
    parameters: parametersOf(route),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(route.body) } },
          },
        }
      : {}),
    responses: { ...successes(route), ...problems(route) },
  };
}

function parametersOf(route: PublicRoute): unknown[] {
  const parameters: unknown[] = [];
  for (const [name, param] of Object.entries(route.params ?? {}))
    parameters.push({
      name,
      in: 'path',
      required: true,
      description: param.description,
      schema: schemaOf(param.schema),
    });
  if (route.query) {
    for (const { name, schema, required } of propertiesOf(route.query)) {
      const { description, ...rest } = schema;
      parameters.push({ name, in: 'query', required, description: description ?? name, schema: rest });
    }
  }
  if (route.idempotent) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
  if (route.conditional) parameters.push({ $ref: '#/components/parameters/IfNoneMatch' });
  if (route.access !== 'gateway')
    for (const shared of ['RequestId', 'Traceparent', 'Tracestate'])
      parameters.push({ $ref: `#/components/parameters/${shared}` });
  return parameters;
}

function successes(route: PublicRoute): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(route.answers).map(([status, answer]) => [status, responseOf(answer, route)]),
  );
}

function responseOf(answer: Answer, route: PublicRoute): JsonSchema {
  const headers: Record<string, unknown> = { 'x-request-id': { $ref: '#/components/headers/XRequestId' } };
  for (const name of answer.headers ?? [])
    headers[name] = { $ref: `#/components/headers/${headerComponent(name)}` };
  const mediaType = answer.mediaType ?? 'application/json';
  const body = answer.schema
    ? { schema: schemaOf(answer.schema) }
    : mediaType === 'text/html'
      ? { schema: { type: 'string' } }
      : undefined;
  const openApiDocument =
    route.operationId === 'getOpenApiDocument' ? { schema: { type: 'object' } } : undefined;
  return {
    description: answer.description,
    headers,
    ...(body || openApiDocument ? { content: { [mediaType]: body ?? openApiDocument } } : {}),
    ...(answer.links
      ? {
          links: Object.fromEntries(
            Object.entries(answer.links).map(([name, link]) => [
              name,
              { operationId: link.operationId, parameters: link.parameters, description: link.description },
            ]),
          ),
        }
      : {}),
  };
}

function headerComponent(name: string): string {
  return name === 'Retry-After' ? 'RetryAfter' : name;
}

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Malformed JSON or invalid input; `errors` lists field problems.',
  401: 'Missing, invalid or expired access token (a token sent to a public route must be valid too), or wrong credentials.',
  402: 'The payment was declined: the order exists as CANCELLED (`orderId`), its stock returned, nothing captured.',
  403: 'Authenticated but not allowed (not an admin).',
  404: 'No such resource, or it belongs to another user (existence is not leaked).',
  409: 'Conflicts with the current state.',
  413: 'The request body is over the limit (1 MB by default).',
  415: 'A request body that is not `application/json`.',
  422: 'This `Idempotency-Key` was used before with another body.',
  429: 'Rate limited (per user, per address for anonymous traffic, tighter for sign-in) or too many bad tokens from the address.',
  503: 'A service behind the gateway is unavailable, or the gateway is shedding load.',
  504: 'A service behind the gateway did not answer in time.',
};

function problems(route: PublicRoute): Record<string, unknown> {
  const entries = [...errorsOf(route)].sort(([a], [b]) => a - b);
  return Object.fromEntries(
    entries.map(([status, codes]) => {
      const list = [...codes].sort();
      const headers: Record<string, unknown> = {
        'x-request-id': { $ref: '#/components/headers/XRequestId' },
      };
      if (status === 429 || status === 503 || list.includes('REQUEST_IN_PROGRESS'))
        headers['Retry-After'] = { $ref: '#/components/headers/RetryAfter' };
      const schema = {
        allOf: [
          { $ref: '#/components/schemas/Problem' },
          {
            type: 'object',
            properties: {
              status: { const: status },
              code: { enum: list },
              ...(list.includes('PAYMENT_DECLINED') ? { orderId: { type: 'string', format: 'uuid' } } : {}),
            },
          },
        ],
      };
      return [
        String(status),
        {
          description: `${PROBLEM_TEXT[status] ?? 'An error.'} Codes: ${list.join(', ')}.`,
          headers,
          content: { 'application/problem+json': { schema } },
        },
      ];
    }),
  );
}
