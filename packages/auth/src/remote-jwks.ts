import type { KeyObject } from 'node:crypto';
import { getJwksRoute } from '@surge/contracts';
import { DependencyError } from '@surge/errors';
import { callRoute, type ServiceClient } from '@surge/http-client';
import type { Logger } from '@surge/logger';
import { fromPublicJwk } from './jwk';
import type { KeySource } from './token-verifier';

export interface RemoteJwksOptions {
  client: ServiceClient;
  /** An unknown kid triggers a refresh at most this often, so garbage kids cannot flood the issuer. */
  minRefreshIntervalMs?: number;
  /** Keys are re-read this often even when every kid is known (rotation removes old keys). */
  maxAgeMs?: number;
  logger?: Logger;
}

/**
 * Verification keys fetched from the user service's JWKS and cached. A token with an
 * unknown kid refreshes the cache (rate-limited); concurrent refreshes share one fetch.
 */
export class RemoteJwks implements KeySource {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private lastAttemptAt = 0;
  private inflight: Promise<void> | undefined;
  private lastError: unknown;

  constructor(private readonly options: RemoteJwksOptions) {}

  async keyFor(kid: string): Promise<KeyObject | undefined> {
    const stale = Date.now() - this.fetchedAt > (this.options.maxAgeMs ?? 10 * 60_000);
    if (this.keys.has(kid) && !stale) return this.keys.get(kid);
    const mayRefresh =
      Date.now() - this.lastAttemptAt >= (this.options.minRefreshIntervalMs ?? 10_000) || stale;
    if (mayRefresh || this.inflight) await this.refresh();
    // Never loaded any key: the issuer is unreachable, so no token can be judged. That is
    // a 503 for the caller to retry, not a 401 that would log a valid user out.
    if (this.fetchedAt === 0)
      throw new DependencyError('user', 'the token issuer (JWKS) is unavailable', { cause: this.lastError });
    return this.keys.get(kid);
  }

  private refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async load(): Promise<void> {
    this.lastAttemptAt = Date.now();
    try {
      // Read against the JWKS contract (auth-api.ts): a key set that does not parse is an
      // UpstreamContractError, and the keys we have stay in use.
      const response = await callRoute(this.options.client, 'user', getJwksRoute, {});
      if (response.status !== 200) throw new Error(`JWKS answered ${response.status}`);
      const next = new Map<string, KeyObject>();
      for (const jwk of response.body.keys) next.set(jwk.kid, fromPublicJwk(jwk));
      this.keys = next;
      this.fetchedAt = Date.now();
    } catch (error) {
      this.lastError = error;
      // Keep serving the keys we have: an issuer blip must not log everybody out.
      this.options.logger?.warn({ err: error }, 'could not refresh JWKS');
    }
  }
}

/** Keys held in memory: the issuer verifying its own tokens, or a test. */
export class StaticKeys implements KeySource {
  constructor(private readonly keys: ReadonlyMap<string, KeyObject>) {}
  async keyFor(kid: string): Promise<KeyObject | undefined> {
    return this.keys.get(kid);
  }
}
