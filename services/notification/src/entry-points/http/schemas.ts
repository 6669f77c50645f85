import { z } from 'zod';

/** Opaque to clients: base64url of `[sentAt ISO, id]`, the keyset position of the last item. */
const cursorPosition = z.tuple([z.iso.datetime(), z.uuid()]);

export function encodeCursor(position: { sentAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([position.sentAt.toISOString(), position.id])).toString('base64url');
}

const cursor = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    try {
      const [sentAt, id] = cursorPosition.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
      return { sentAt: new Date(sentAt), id };
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
      return z.NEVER;
    }
  });

/** CONTRACT.md "Lists": limit 1..100 (default 20) and an opaque cursor. */
export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursor.optional(),
});
