import { z } from 'zod';
import { ValidationError } from '@surge/errors';

/**
 * The one codec for the opaque `cursor` of every paginated list (docs/api-contract.md, "Lists").
 * A cursor is base64url of `[format, list, ...position]`: the list's name keeps a cursor
 * of one list from being replayed on another, and every position field is checked as
 * strictly as the SQL it ends up in (a timestamp Postgres accepts, a canonical uuid,
 * text without NUL, a finite number in range), so anything this API did not hand out is
 * a 400 naming `cursor`, never a database error.
 *
 * Not signed: a position only names a row the caller may already see on the page before
 * (lists are scoped to the caller in SQL), so forging one reveals nothing a client could
 * not page to; what must never happen, malformed input reaching SQL, is what this stops.
 */
const FORMAT = 1;
const NOT_ISSUED = 'is not a cursor this API issued';
/** Longer than any cursor we issue (the longest holds a 200-character product name). */
export const MAX_CURSOR_LENGTH = 1_024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Date.prototype.toISOString's shape, years 1970..9999 (Postgres has no year 0). */
const ISO_INSTANT = /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A Postgres timestamptz at full (microsecond) precision, as listPosition SQL prints it. */
const MICRO_INSTANT = /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Position fields, each as strict as the column it is compared with. */
export const cursorField = {
  /**
   * An instant at microsecond precision, kept as text and compared in SQL as
   * `$n::timestamptz`: Postgres keeps microseconds, a Date only milliseconds, and a
   * keyset position cut to milliseconds skips the rows written later in that millisecond.
   */
  microInstant: z
    .string()
    .regex(MICRO_INSTANT)
    .refine((value) => {
      const millis = `${value.slice(0, 23)}Z`;
      const date = new Date(millis);
      return !Number.isNaN(date.getTime()) && date.toISOString() === millis;
    }),
  /** An instant as toISOString writes it; "2024-02-31..." and other rollovers are refused. */
  instant: z
    .string()
    .regex(ISO_INSTANT)
    .refine((value) => {
      const date = new Date(value);
      return !Number.isNaN(date.getTime()) && date.toISOString() === value;
    })
    .transform((value) => new Date(value)),
  /** A uuid as Postgres prints it: lowercase, canonical. */
  uuid: z.string().regex(UUID),
  /** Text that Postgres can hold and that names no control character. */
  text: (max: number) =>
    z
      .string()
      .max(max)
      .regex(/^[^\p{Cc}\p{Cs}]*$/u),
  /** A finite number in range (no NaN, Infinity or exponent tricks survive JSON anyway). */
  number: (min: number, max: number) => z.number().finite().min(min).max(max),
};

export interface CursorCodec<T> {
  encode(position: T): string;
  /** The position, or a 400 VALIDATION_FAILED naming `cursor`. */
  decode(cursor: string): T;
  /** The `cursor` query parameter: decodes to the position, or fails validation. */
  readonly param: z.ZodType<T, string>;
}

/**
 * What any cursor looks like (canonical base64url, 1..MAX_CURSOR_LENGTH characters), as a
 * schema: the API document shows it, and anything else is refused with the same words as
 * a cursor that does not decode.
 */
export const cursorText = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9_-]{1,${MAX_CURSOR_LENGTH}}$`),
    `${NOT_ISSUED}: use nextCursor from a previous page`,
  );

type Fields = readonly [z.ZodType, ...z.ZodType[]];
type Inputs<F extends Fields> = { -readonly [K in keyof F]: F[K] extends z.ZodType ? z.input<F[K]> : never };
type Outputs<F extends Fields> = {
  -readonly [K in keyof F]: F[K] extends z.ZodType ? z.output<F[K]> : never;
};

export function defineCursor<T, const F extends Fields>(spec: {
  /** Names the list, e.g. "orders": a cursor from another list is refused. */
  list: string;
  fields: F;
  toFields(position: T): Inputs<F>;
  fromFields(fields: Outputs<F>): T;
}): CursorCodec<T> {
  const position = z.tuple(spec.fields as unknown as [z.ZodType, ...z.ZodType[]]);
  const decode = (cursor: string): T => {
    const payload = parsePayload(cursor);
    if (!Array.isArray(payload) || payload[0] !== FORMAT) throw invalidCursor(NOT_ISSUED);
    if (payload[1] !== spec.list) throw invalidCursor('was issued for another list');
    const parsed = position.safeParse(payload.slice(2));
    if (!parsed.success) throw invalidCursor(NOT_ISSUED);
    return spec.fromFields(parsed.data as Outputs<F>);
  };
  return {
    encode(value) {
      const payload = [FORMAT, spec.list, ...(spec.toFields(value) as unknown[])];
      return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    },
    decode,
    param: cursorText.transform((raw, ctx) => {
      try {
        return decode(raw);
      } catch (error) {
        const message = error instanceof ValidationError ? error.errors?.[0]?.message : undefined;
        ctx.addIssue({ code: 'custom', message: message ?? NOT_ISSUED });
        return z.NEVER;
      }
    }),
  };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** base64url (canonical: what we encode re-encodes to itself), valid UTF-8, JSON. */
function parsePayload(cursor: string): unknown {
  if (typeof cursor !== 'string' || cursor.length === 0) return undefined;
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) return undefined;
  try {
    return JSON.parse(strictUtf8.decode(bytes));
  } catch {
    return undefined;
  }
}

function invalidCursor(reason: string): ValidationError {
  return new ValidationError('The cursor is invalid', [
    { path: 'cursor', message: `${reason}: use nextCursor from a previous page` },
  ]);
}
