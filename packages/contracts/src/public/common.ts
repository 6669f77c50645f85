import { z } from 'zod';
import type { ErrorCode } from '@surge/errors';
import { currencyCode } from '../currencies';

/**
 * Building blocks of the public API's schemas (docs/api-contract.md, "Conventions"). Every
 * named schema is registered in `publicSchemas` with the id it has under
 * `#/components/schemas` in the generated OpenAPI document, so a schema is written once
 * and the document cannot drift from what the services check.
 */
export const publicSchemas = z.registry<{ id: string }>();

/**
 * Describes a schema and registers it under its OpenAPI component name. The description
 * goes to zod's global metadata (where field descriptions are too), the id to
 * `publicSchemas`, which turns every use of the schema into a `$ref`.
 */
export function named<S extends z.ZodType>(id: string, description: string, schema: S): S {
  const described = schema.meta({ description }) as S;
  publicSchemas.add(described, { id });
  return described;
}

/**
 * Control, format (bidi overrides, zero-width) and lone-surrogate characters: names and
 * addresses end up in emails, labels and logs, where they are spoofing or log-injection
 * material, and Postgres text cannot hold NUL. Refused up front, so they are a 400.
 */
export const NO_CONTROL = /^[^\p{Cc}\p{Cf}\p{Cs}]*$/u;
/**
 * The same, and something besides white space: text is trimmed before it is checked, so
 * "   " is empty; said in the pattern too, so the document promises what the check does.
 */
export const PRINTABLE_LINE = /^(?=.*\S)[^\p{Cc}\p{Cf}\p{Cs}]+$/u;
export const NO_CONTROL_BUT_NEWLINES = /^(?:[\t\n\r]|[^\p{Cc}\p{Cs}])*$/u;

/** One line of printable text, trimmed, 1..max characters. */
export const plainLine = (max: number) =>
  z.string().trim().min(1).max(max).regex(PRINTABLE_LINE, 'must not contain control or format characters');

export const uuid = z.uuid();

/** A uuid in any letter case; answers and lookups use its lowercase form. */
export const anyCaseUuid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a UUID')
  .transform((value) => value.toLowerCase());

export const instant = z.iso.datetime({ offset: true }).meta({ description: 'An ISO 8601 instant (UTC).' });

const MINOR_UNITS =
  'Integer amount in the minor unit of `currency` (ISO 4217 exponent): cents for USD and EUR (exponent 2), yen for JPY (0), fils for KWD (3). The name says "Cents" for historical reasons; it always means minor units.';

/** A money amount in the currency's minor unit, 0..max. */
export const minorUnits = (max: number) =>
  z.number().int().min(0).max(max).meta({ description: MINOR_UNITS });

/** A currency in an answer: an ISO 4217 code the API handed out earlier. */
export const currencyInAnswer = z
  .string()
  .regex(/^[A-Z]{3}$/)
  .meta({ description: 'ISO 4217 code.', examples: ['USD'] });

export { currencyCode };

/**
 * Query strings: a blank value means "not given"; numbers are plain digits only. The
 * document shows such a parameter as the integer range it takes (`queryInteger` meta):
 * clients send integers, and the digits-only rule is what a query string can hold.
 */
export const QUERY_INTEGER = 'x-surge-query-integer';
export const blankAsAbsent = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
export const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,12}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(max))
    .meta({ [QUERY_INTEGER]: { minimum: min, maximum: max } });
export const blankIsAbsent = <T extends z.ZodType>(schema: T) =>
  z.preprocess(blankAsAbsent, schema.optional());

/** `?limit=`: 1..100, default 20 (docs/api-contract.md, "Lists"). */
export const limitParam = z.coerce
  .number()
  .int()
  .min(1)
  .max(100)
  .default(20)
  .meta({ description: 'Page size, 1..100.' });

export const CURSOR_DESCRIPTION =
  'Opaque; the `nextCursor` of the previous page, passed back unchanged. Any other value, an empty one included, is a 400 VALIDATION_FAILED naming `cursor`; leave the parameter out for the first page. A cursor belongs to its list (and, for products, to the filters that produced it).';

/** `{items, nextCursor}`: one page of a list. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  });

export const fieldProblem = named(
  'FieldProblem',
  'One invalid field of a request.',
  z.object({
    path: z.string().meta({ description: 'Where in the request, e.g. `shippingAddress.city`.' }),
    message: z.string(),
  }),
);

/** RFC 9457 problem details, as http-kit's problem-details.ts writes them. */
export const problem = named(
  'Problem',
  'RFC 9457 problem details with a stable `code` and the `requestId`. Never contains stack traces, SQL or internal addresses.',
  z.looseObject({
    type: z.string().meta({ examples: ['/problems/validation-failed'] }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    code: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/)
      .meta({ description: 'Stable machine-readable code; each answer lists the ones it may carry.' }),
    requestId: z.string().meta({ description: 'The `x-request-id` of the request.' }),
    errors: z.array(fieldProblem).optional().meta({ description: 'Field problems, for 400s.' }),
  }),
);

/** The error codes an answer of a given status may carry, per route (see routes.ts). */
export type ErrorsByStatus = Partial<Record<number, readonly ErrorCode[]>>;
