import { z } from 'zod';

/**
 * A UUID in any case, answered in lower case: the product service's ids (public product
 * ids and the order ids of reservations), which a client may have upper-cased. Any
 * version and variant, as Postgres' `uuid` type takes them.
 */
export const anyCaseUuid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a UUID')
  .transform((value) => value.toLowerCase());

/** A UUID as an answer carries it: lower case. */
export const uuidAnswer = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lower-case UUID');
