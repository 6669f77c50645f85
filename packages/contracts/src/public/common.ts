import { z } from 'zod';
import type { ErrorCode } from '@surge/errors';
import { CURRENCY_CODES, currencyCode } from '../currencies';

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
 * Control characters (C0, DEL, C1), format characters (soft hyphen, bidi overrides and
 * isolates, zero-width ones, the BOM, Arabic and Syriac marks) and lone surrogates: names
 * and addresses end up in emails, labels and logs, where they are spoofing or
 * log-injection material, and Postgres text cannot hold NUL. Refused up front, so they
 * are a 400.
 *
 * Written as explicit \u ranges rather than `\p{Cc}\p{Cf}\p{Cs}`: the document carries
 * these patterns, and clients and fuzzers in other languages (Python's `re` among them)
 * cannot use Unicode property escapes. The format characters outside the Basic
 * Multilingual Plane (emoji tag sequences, hieroglyph format controls) are allowed: none
 * of them reorders or hides text.
 */
const CONTROL =
  '\\u0000-\\u001F\\u007F-\\u009F\\u00AD\\u0600-\\u0605\\u061C\\u06DD\\u070F\\u0890\\u0891\\u08E2\\u180E' +
  '\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F\\uD800-\\uDFFF\\uFEFF\\uFFF9-\\uFFFB';
/** What String.prototype.trim removes: white space and line terminators. */
const TRIMMED = '\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF';
/** A visible character: neither control nor trimmed away. */
const VISIBLE = `[^${CONTROL}${TRIMMED}]`;
/**
 * The text between the white space a trim removes: it starts and ends with a visible
 * character. Every part of the pattern takes different characters than its neighbours,
 * so a match never backtracks more than once over the input, however long it is.
 */
const CORE = `${VISIBLE}(?:[^${CONTROL}]*${VISIBLE})?`;

export const NO_CONTROL = new RegExp(`^[^${CONTROL}]*$`, 'u');
/**
 * One line of text that is trimmed before it is checked: after the trim, at least one
 * character and no control or format character. The pattern says it of the text as sent,
 * so the document promises exactly what the check does ("   " is empty, " a\t" is "a").
 */
export const PRINTABLE_LINE = new RegExp(`^[${TRIMMED}]*${CORE}[${TRIMMED}]*$`, 'u');
/** The same, where blank text means "not given" (a query filter): empty is fine too. */
export const PRINTABLE_OR_BLANK = new RegExp(`^(?:[${TRIMMED}]*${CORE})?[${TRIMMED}]*$`, 'u');
/** Multi-line text: tabs and line breaks are fine, format characters too (a description). */
export const NO_CONTROL_BUT_NEWLINES =
  /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF]*$/u;

/**
 * One line of printable text, at most max characters as sent (the document's maxLength),
 * at least one once trimmed.
 */
export const plainLine = (max: number) =>
  z.string().max(max).trim().min(1).regex(PRINTABLE_LINE, 'must not contain control or format characters');

export const uuid = z.uuid();

/** A uuid in any letter case; answers and lookups use its lowercase form (one rule: ../ids.ts). */
export { anyCaseUuid } from '../ids';

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

/** A currency a request names: one of the ISO 4217 codes Surge takes, listed in the document. */
export const acceptedCurrency = currencyCode.meta({
  description: 'ISO 4217 code of a circulating currency (fund codes, metals and test codes are refused).',
  enum: [...CURRENCY_CODES],
  examples: ['USD'],
});

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
