import { z } from 'zod';

/** Request bodies of the auth and users part of docs/api-contract.md. Strict: unknown fields are rejected. */
const email = z.email().max(254);
const password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters');
// Printable text without control characters: names end up in emails and logs.
const name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}\p{Cf}\p{Cs}]+$/u, 'must not contain control or format characters');

export const registerBody = z.strictObject({ email, password, name });
export const loginBody = z.strictObject({ email: z.string().max(254), password: z.string().max(1024) });
export const refreshBody = z.strictObject({ refreshToken: z.string().min(1).max(512) });

const preferenceValue = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);
export const preferences = z
  .record(
    z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\w.-]+$/, 'keys are letters, digits, _ . -')
      // Not data in JavaScript: `__proto__` would swap the record's prototype.
      .refine((key) => !['__proto__', 'constructor', 'prototype'].includes(key), 'reserved key'),
    preferenceValue,
  )
  .refine((value) => Object.keys(value).length <= 50, 'at most 50 preferences');

export const updateMeBody = z
  .strictObject({ name: name.optional(), preferences: preferences.optional() })
  .refine((body) => body.name !== undefined || body.preferences !== undefined, 'give name or preferences');
export { name as nameSchema };
