import type { UpstreamName } from '../domain/route-table';

/** What the upstream machinery reports as it happens; the metrics listen. */
export interface UpstreamEvents {
  instanceEjected(upstream: UpstreamName): void;
  requestRetried(upstream: UpstreamName): void;
}

export const ignoreUpstreamEvents: UpstreamEvents = {
  instanceEjected: () => undefined,
  requestRetried: () => undefined,
};
