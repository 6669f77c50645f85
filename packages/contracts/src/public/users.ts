import { jwks as jwkSet } from '../internal/auth-api';
import { z } from 'zod';
import { instant, named, PRINTABLE_LINE } from './common';

/** Auth and users (docs/api-contract.md): strict bodies, unknown fields are a 400. */
// RFC 5321 §4.5.3.1.1: at most 64 octets before the @ (an outside fuzzer's email
// validator, rightly, counted a longer one as no email the API should take).
const email = z
  .email()
  .max(254)
  .refine((value) => value.lastIndexOf('@') <= 64, 'the part before @ must be at most 64 characters')
  .meta({ examples: ['ada@example.com'] });
const password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters');

/** Printable text without control characters: names end up in emails and logs. */
export const personName = z
  .string()
  .max(100)
  .trim()
  .min(1)
  .regex(PRINTABLE_LINE, 'must not contain control or format characters')
  .meta({ examples: ['Ada Lovelace'] });

export const registerBody = named(
  'RegisterRequest',
  'A new customer account.',
  z.strictObject({ email, password, name: personName }),
);

export const loginBody = named(
  'LoginRequest',
  'Credentials; a wrong pair is 401 INVALID_CREDENTIALS, whichever half is wrong.',
  z.strictObject({ email: z.string().max(254), password: z.string().max(1024) }),
);

export const refreshBody = named(
  'RefreshRequest',
  'A refresh token from login or an earlier refresh.',
  z.strictObject({ refreshToken: z.string().min(1).max(512) }),
);

const preferenceKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.-]+$/, 'keys are letters, digits, _ . -')
  // Not data in JavaScript: `__proto__` would swap the record's prototype.
  .refine((key) => !['__proto__', 'constructor', 'prototype'].includes(key), 'reserved key');
const preferenceValue = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

export const preferences = z
  .record(preferenceKey, preferenceValue)
  .refine((value) => Object.keys(value).length <= 50, 'at most 50 preferences')
  .meta({
    description:
      'At most 50 entries; keys are 1..64 of letters, digits, `_ . -` (not `__proto__`, `constructor`, `prototype`); values are strings up to 500 characters, numbers, booleans or null.',
    examples: [{ newsletter: true }],
  });

export const updateMeBody = named(
  'UpdateProfileRequest',
  'The fields to change: `name`, `preferences` (replaced as a whole), or both; at least one.',
  z
    .strictObject({ name: personName.optional(), preferences: preferences.optional() })
    .refine((body) => body.name !== undefined || body.preferences !== undefined, 'give name or preferences')
    .meta({ minProperties: 1 }),
);

export const role = named('Role', 'What the account may do.', z.enum(['customer', 'admin']));

export const createdUser = named(
  'User',
  'The account just registered.',
  z.object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.literal('customer'),
    createdAt: instant,
  }),
);

export const profile = named(
  'Profile',
  "The caller's own profile.",
  z.object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role,
    preferences: z.record(z.string(), preferenceValue),
    createdAt: instant,
  }),
);

export const tokenPair = named(
  'TokenPair',
  'An access token and the refresh token that renews it.',
  z.object({
    accessToken: z.string().meta({ description: 'RS256 JWT with `kid` in its header.' }),
    refreshToken: z.string().meta({ description: 'Opaque; rotates on every refresh.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().min(1).meta({ description: 'Seconds until the access token expires.' }),
  }),
);

/** The same key set the internal API documents (one schema: ../internal/auth-api.ts). */
export const jwksAnswer = named('Jwks', 'The public keys that verify access tokens (RFC 7517).', jwkSet);
