import { issueServiceTokenRoute } from '@surge/contracts';
import { DependencyError } from '@surge/errors';
import { callRoute, type CallOptions, type CallResult, type ServiceCaller } from '@surge/http-client';
import type { Logger } from '@surge/logger';

export interface ServiceTokensOptions {
  /** A client of the user service (the issuer). */
  issuer: ServiceCaller;
  /** This service's name: its OAuth client id, and the `sub` of its tokens. */
  clientId: string;
  clientSecret: string;
  /** Budget of one token request. */
  timeoutMs?: number;
  logger?: Logger;
  now?: () => number;
}

interface CachedToken {
  token: string;
  /** From here on a call still uses it, and a refresh starts in the background. */
  refreshAt: number;
  /** From here on it is not used: a call waits for a new one. */
  usableUntil: number;
}

/**
 * Service tokens for this service's calls to others, by OAuth 2.0 client credentials
 * (RFC 6749 §4.4) from the user service, one per audience, cached:
 *
 * - fresh (first three quarters of its life): used as it is;
 * - ageing (up to 10% or 10 s, whichever is less, before expiry): used, while one
 *   background request fetches the next, so calls never wait for a token in steady state;
 * - past that: the call waits for a new one. Concurrent callers share one request.
 *
 * A token the callee refuses (401: a rotated key the callee has not fetched yet, a
 * revoked client) is dropped with `invalidate`, and withServiceToken asks once more.
 * A token that cannot be had is a DependencyError on the user service: the caller answers
 * 503, as for any neighbour that is down.
 */
export class ServiceTokens {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly now: () => number;

  constructor(private readonly options: ServiceTokensOptions) {
    this.now = options.now ?? Date.now;
  }

  async tokenFor(audience: string): Promise<string> {
    const cached = this.cache.get(audience);
    const now = this.now();
    if (cached && now < cached.usableUntil) {
      if (now >= cached.refreshAt && !this.inflight.has(audience))
        this.fetch(audience).catch((error: unknown) =>
          this.options.logger?.warn({ err: error, audience }, 'background service token refresh failed'),
        );
      return cached.token;
    }
    return this.fetch(audience);
  }

  /** Forgets `token` (when it is still the cached one), so the next call fetches a new one. */
  invalidate(audience: string, token: string): void {
    if (this.cache.get(audience)?.token === token) this.cache.delete(audience);
  }

  private fetch(audience: string): Promise<string> {
    let pending = this.inflight.get(audience);
    if (!pending) {
      pending = this.request(audience).finally(() => this.inflight.delete(audience));
      this.inflight.set(audience, pending);
    }
    return pending;
  }

  private async request(audience: string): Promise<string> {
    const startedAt = this.now();
    // The answer is read against the token endpoint's contract (auth-api.ts): a body that
    // does not parse is an UpstreamContractError, never a token taken on trust.
    const answer = await callRoute(this.options.issuer, 'user', issueServiceTokenRoute, {
      body: {
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        audience,
      },
      timeoutMs: this.options.timeoutMs ?? 2_000,
      // Asking twice only mints two tokens.
      idempotent: true,
    });
    if (answer.status !== 200) {
      const reason = 'error' in answer.body ? ` ${answer.body.error}` : '';
      throw new DependencyError(
        'user',
        `no service token for ${audience}: the issuer answered ${answer.status}${reason}`,
        { retriable: answer.status === 429 },
      );
    }
    const { access_token: token, expires_in: ttlSeconds } = answer.body;
    const lifetimeMs = ttlSeconds * 1000;
    this.cache.set(audience, {
      token,
      refreshAt: startedAt + lifetimeMs * 0.75,
      usableUntil: startedAt + lifetimeMs - Math.min(10_000, lifetimeMs * 0.1),
    });
    return token;
  }
}

/** Where a service's tokens come from: ServiceTokens, or a test's own. */
export interface ServiceTokenSource {
  tokenFor(audience: string): Promise<string>;
  invalidate(audience: string, token: string): void;
}

/**
 * `client`, with this service's token for `audience` on every call
 * (`Authorization: Bearer`). A 401 answer means the token was refused, never that the
 * call was carried out: the token is dropped and the call made once more with a new one.
 */
export function withServiceToken(
  client: ServiceCaller,
  tokens: ServiceTokenSource,
  audience: string,
): ServiceCaller {
  const send = async <T>(options: CallOptions): Promise<{ token: string; answer: CallResult<T> }> => {
    const token = await tokens.tokenFor(audience);
    const headers = { ...options.headers, authorization: `Bearer ${token}` };
    return { token, answer: await client.call<T>({ ...options, headers }) };
  };
  return {
    async call<T = unknown>(options: CallOptions): Promise<CallResult<T>> {
      const first = await send<T>(options);
      if (first.answer.status !== 401) return first.answer;
      tokens.invalidate(audience, first.token);
      return (await send<T>(options)).answer;
    },
  };
}
