import pino, { type DestinationStream } from 'pino';

/**
 * How a service's lines reach stdout. Parsed from LOG_BATCH_BYTES and
 * LOG_FLUSH_INTERVAL_MS in one place (packages/config, `logBatchEnv`).
 */
export interface LogBatching {
  /**
   * Lines are kept until this many bytes wait, then written with one `write(2)`;
   * 0 writes every line at once. Below 16,384 (sonic-boom's largest single write).
   */
  bytes: number;
  /** The longest a line waits when too few follow it: what a quiet service's reader waits. */
  flushIntervalMs: number;
}

/** sonic-boom refuses a minLength at or above its maxWrite (16 KiB). */
export const MAX_LOG_BATCH_BYTES = 16_383;

/**
 * stdout through sonic-boom with a buffer: `minLength` holds lines until a batch is full,
 * `periodicFlush` writes a partial batch on a timer, so `tail -f`, the stack's log
 * readers and tests waiting for a line see it within the interval.
 *
 * Why: written one by one, each access-log line cost its own `fs.write` plus the drain
 * loop's next one, 7 % of the gateway's CPU per proxied read (docs/results/hot-path.md).
 *
 * Synchronous writes of whole batches, as Node itself writes stdout to files and pipes
 * on Linux: one `write(2)` per batch on the main thread costs less than an asynchronous
 * one (a request to the thread pool and its completion callback), and the exit flush
 * below cannot overtake a batch still in flight: with asynchronous writes it can, and a
 * crash's lines then arrive before the ones logged ahead of them.
 *
 * No line is lost on the way out: every such destination is flushed synchronously on the
 * process's `exit` (`process.exit`, the end of the event loop, an uncaught exception or
 * unhandled rejection, which Node turns into an exit). A SIGKILL or a signal without a
 * handler loses what waits, at most one interval's lines: runMain handles SIGTERM and
 * SIGINT from the start for that reason.
 *
 * No `maxLength`: sonic-boom drops lines beyond it.
 */
export function batchedStdout(batching: LogBatching): DestinationStream {
  if (batching.bytes <= 0) return pino.destination({ dest: 1, sync: false, minLength: 0 });
  const destination = pino.destination({
    dest: 1,
    sync: true,
    minLength: Math.min(batching.bytes, MAX_LOG_BATCH_BYTES),
    periodicFlush: Math.max(1, batching.flushIntervalMs),
  });
  flushOnExit(destination);
  return destination;
}

type Flushable = { flushSync(): void; destroyed?: boolean };
const waitingOnExit = new Set<Flushable>();

/** One `exit` listener for every batched destination of the process. */
function flushOnExit(destination: Flushable): void {
  if (waitingOnExit.size === 0) process.once('exit', flushAllSync);
  waitingOnExit.add(destination);
}

function flushAllSync(): void {
  for (const destination of waitingOnExit) {
    if (destination.destroyed) continue;
    try {
      destination.flushSync();
    } catch {
      // Exiting: nowhere left to report that stdout is gone.
    }
  }
  waitingOnExit.clear();
}
