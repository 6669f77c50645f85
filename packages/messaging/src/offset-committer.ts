import type { EachBatchPayload } from 'kafkajs';
import type { Logger } from '@surge/logger';

type Commit = Pick<EachBatchPayload, 'uncommittedOffsets' | 'commitOffsetsIfNecessary'>;

/**
 * Commits a consumer's resolved offsets in the background, one request at a time, each
 * covering everything resolved since the last: kafkajs's auto-commit sends one request
 * after every partition batch and waits for it before the next fetch, a round trip on
 * every event's path. An offset is resolved only after its message's effect committed,
 * so a commit that fails or is lost (a crash, a rebalance) only redelivers messages that
 * the inbox then skips; it never skips one.
 *
 * `spacingMs` apart at least: at a checkout's few events spread over many partitions,
 * every batch holds one message, and a commit per batch is a request the broker writes to
 * its offsets log. Spaced, one request covers every partition resolved meanwhile; what a
 * crash redelivers grows by at most that window, and the inbox skips it.
 */
export class OffsetCommitter {
  private inFlight: Promise<void> | undefined;
  private again = false;
  private latest: Commit | undefined;
  private lastCommitAt = 0;
  /** Ends the wait for the spacing at once (flush: the consumer is leaving). */
  private endWait: (() => void) | undefined;
  private flushing = false;

  constructor(
    private readonly logger: Logger,
    private readonly spacingMs = 0,
  ) {}

  /** After `resolveOffset`: commit soon, without waiting for it. */
  request(payload: Commit): void {
    this.latest = payload;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = this.run().finally(() => {
      this.inFlight = undefined;
    });
  }

  /** Waits for the request in flight and commits what is left (before leaving the group). */
  async flush(): Promise<void> {
    this.flushing = true;
    this.endWait?.();
    while (this.inFlight) await this.inFlight;
    if (this.latest) await this.commitOnce(this.latest);
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      const wait = this.lastCommitAt + this.spacingMs - Date.now();
      if (wait > 0 && !this.flushing) await this.waitFor(wait);
      if (this.latest) await this.commitOnce(this.latest);
      this.lastCommitAt = Date.now();
    } while (this.again);
  }

  private waitFor(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endWait = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.endWait = done;
    });
  }

  private async commitOnce(payload: Commit): Promise<void> {
    const offsets = payload.uncommittedOffsets();
    if (offsets.topics.length === 0) return;
    try {
      await payload.commitOffsetsIfNecessary(offsets);
    } catch (error) {
      this.logger.warn({ err: error }, 'offset commit failed; the next one covers it');
    }
  }
}
