import type { Logger } from '@surge/logger';

/** Something a service opened at start and releases on stop, with what it is for the logs. */
export interface Release {
  what: string;
  release: () => Promise<unknown>;
}

/**
 * What a service opened, in the order it opened it. Released in reverse: the last thing
 * opened depends on the earlier ones (a relay on its pool, a consumer on its client), so
 * it stops first. startServer runs the list after the listeners have closed; a failed
 * start runs it at once, so nothing opened outlives the start that failed.
 */
export class StopList {
  private readonly entries: Release[] = [];

  constructor(private readonly logger: Logger) {}

  add(what: string, release: () => Promise<unknown>): void {
    this.entries.push({ what, release });
  }

  /** In opening order, for startServer (which runs them in reverse); each logs its own failure. */
  cleanups(): Array<() => Promise<unknown>> {
    return this.entries.map(
      ({ what, release }) =>
        () =>
          release().catch((error: unknown) => this.logger.warn({ err: error, what }, 'cleanup failed')),
    );
  }

  /** Releases everything now, last opened first: after a start that failed. */
  async releaseAll(): Promise<void> {
    for (const cleanup of this.cleanups().reverse()) await cleanup();
  }
}
