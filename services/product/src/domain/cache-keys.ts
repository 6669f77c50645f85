/**
 * The catalog cache's key layout (after the Redis client's prefix), said once: the use
 * cases name pages and counts with it, the cache adapter and its list-page script read
 * with it. A generation key, bumped by every catalog write, is part of every page and
 * count key, so a write makes them all unreachable at once (they expire by TTL).
 */
export const GENERATION_KEY = 'gen';

export const productKey = (id: string): string => `p:${id}`;

/** A list page's key up to its generation: the list-page script appends the generation it read. */
export const listPageKeyHead = (pageHash: string): string => `list:${pageHash}:`;

/** `none` when the generation could not be read (Redis down): such a page is never read back. */
export const listPageKey = (generation: number | undefined, pageHash: string): string =>
  `${listPageKeyHead(pageHash)}${generation ?? 'none'}`;

/** The name a page's last copy is kept under, whatever the generation (for database outages). */
export const listPageStaleName = (pageHash: string): string => `list:${pageHash}`;

export const categoriesKey = (generation: number | undefined): string => `categories:${generation ?? 'none'}`;

export const CATEGORIES_STALE_NAME = 'categories';
