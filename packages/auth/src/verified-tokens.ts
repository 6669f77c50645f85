import type { Principal } from './claims';

export interface VerifiedTokenCacheOptions {
  /** Tokens remembered at most; the least recently used is forgotten first. */
  maxEntries: number;
  /**
   * A token is verified again after this long even when it expires later, so a key
   * removed from the JWKS stops being honoured about as soon as without a cache (the
   * JWKS itself is re-read every 10 minutes).
   */
  maxAgeMs: number;
}

interface Entry<P> {
  principal: P;
  /** Epoch ms after which the entry is not used: the token's `exp`, or the max age, whichever is first. */
  validUntil: number;
}

/**
 * Tokens that passed verification, by their whole text (header, payload and signature:
 * a token that differs in one byte is a different key, so a forged token can never hit
 * an entry). An RS256 verification and two base64/JSON decodes cost far more than the
 * request a client sends with the same token a moment later; with this cache a token is
 * verified about once per `maxAgeMs`. Never past its `exp`: an expired token misses and is
 * verified (and refused) as before. Bounded, least recently used first out, so a flood of
 * distinct valid tokens costs memory for `maxEntries` at most.
 */
export class VerifiedTokenCache<P extends object = Principal> {
  private readonly entries = new Map<string, Entry<P>>();

  constructor(private readonly options: VerifiedTokenCacheOptions) {}

  get size(): number {
    return this.entries.size;
  }

  /** The principal of a token verified before and still within its validity, or undefined. */
  get(token: string, now: number): P | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (now >= entry.validUntil) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the oldest key is the least recently used.
    this.entries.set(token, entry);
    return entry.principal;
  }

  /** Remembers a verified token until `expiresAtSeconds` (its `exp`) or the max age, whichever is first. */
  set(token: string, principal: P, expiresAtSeconds: number, now: number): void {
    const validUntil = Math.min(expiresAtSeconds * 1000, now + this.options.maxAgeMs);
    if (validUntil <= now || this.options.maxEntries <= 0) return;
    this.entries.delete(token);
    this.entries.set(token, { principal: Object.freeze({ ...principal }), validUntil });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
