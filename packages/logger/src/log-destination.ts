import fs from 'node:fs';
import pino, { type DestinationStream } from 'pino';

/**
 * How a service's lines reach stdout. Parsed from LOG_BATCH_BYTES and
 * LOG_FLUSH_INTERVAL_MS in one place (packages/config, `logBatchEnv`).
 */
export interface LogBatching {
  /** Lines are kept until about this many bytes wait, then written at once; 0 writes every line at once. */
  bytes: number;
  /** The longest a line waits when too few follow it: what a quiet service's reader waits. */
  flushIntervalMs: number;
}

/** One write of at most this much: a pipe takes 64 KiB before a reader must catch up. */
export const MAX_LOG_BATCH_BYTES = 65_536;

/**
 * Where a batching logger's lines go: each line's bytes copied into one buffer as it is
 * logged, the buffer written to stdout with one synchronous `write(2)` when about `bytes`
 * wait, on a timer every `flushIntervalMs` (so `tail -f`, the stack's log readers and
 * tests waiting for a line see it within the interval), and on the process's `exit`.
 *
 * Why: written one by one, each access-log line cost its own `fs.write` plus the drain
 * loop's next one, 7 % of the gateway's CPU per proxied read in its profile. Off by
 * default all the same (LOG_BATCH_BYTES=0): measured side by side on a busy machine, the
 * gateway with batches served fewer requests per second at more CPU per request, though
 * its profile no longer shows the writes (docs/results/hot-path.md).
 * Bytes in a buffer, not the lines themselves: pino's line is a rope of many small
 * strings, and holding ropes until a batch was full (sonic-boom's `minLength`, or an
 * array of lines) let them outlive young-generation collections: the garbage collector's
 * share of the gateway rose from 8 % to 13-15 % and a proxied read cost more than the
 * line-by-line writes it saved (measured, hot-path.md).
 *
 * Synchronous writes, as Node writes stdout to files and pipes on Linux: the exit flush
 * cannot be overtaken by an earlier batch in flight, and no line is lost on
 * `process.exit`, at the end of the event loop, on an uncaught exception or unhandled
 * rejection (Node turns both into an exit). A SIGKILL or a signal without a handler
 * loses what waits, at most one interval's lines: runMain handles SIGTERM and SIGINT
 * from the start for that reason.
 */
export function batchedStdout(batching: LogBatching): DestinationStream {
  if (batching.bytes <= 0) return pino.destination({ dest: 1, sync: false, minLength: 0 });
  const writer = new LineBatch(Math.min(batching.bytes, MAX_LOG_BATCH_BYTES), writeStdoutSync);
  setInterval(() => writer.flush(), Math.max(1, batching.flushIntervalMs)).unref();
  flushOnExit(writer);
  return writer;
}

/** Room for one more line than the batch: a line is copied whole or written on its own. */
const LINE_ROOM = 16_384;

/**
 * Lines' UTF-8 bytes gathered in one buffer until about `batchBytes` wait; `write` is
 * what pino calls with each line. `output` must be done with the bytes when it returns.
 */
export class LineBatch implements DestinationStream {
  private readonly buffer: Buffer;
  private used = 0;

  constructor(
    private readonly batchBytes: number,
    private readonly output: (bytes: Buffer) => void,
  ) {
    this.buffer = Buffer.allocUnsafeSlow(batchBytes + LINE_ROOM);
  }

  write(line: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8: room for that many, or flush first.
    const most = line.length * 3;
    if (this.used + most > this.buffer.length) {
      this.flush();
      if (most > this.buffer.length) return this.output(Buffer.from(line, 'utf8'));
    }
    this.used += this.buffer.write(line, this.used, 'utf8');
    if (this.used >= this.batchBytes) this.flush();
  }

  /** Writes what waits; pino's `logger.flush(callback)` passes a callback, called once written. */
  flush(callback?: (error?: Error) => void): void {
    if (this.used > 0) {
      const used = this.used;
      this.used = 0;
      this.output(this.buffer.subarray(0, used));
    }
    callback?.();
  }
}

let stdoutBroken = false;

/** All of `bytes` to fd 1 before returning; a pipe that is full for a moment is waited for. */
function writeStdoutSync(bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length && !stdoutBroken) {
    try {
      offset += fs.writeSync(1, bytes, offset, bytes.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      // EPIPE (the reader went away: `| head`), EBADF: these lines have nowhere to go,
      // and a log that cannot be written must not stop the service.
      stdoutBroken = true;
    }
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
const waitingOnExit = new Set<LineBatch>();

/** One `exit` listener for every batch of the process. */
function flushOnExit(batch: LineBatch): void {
  if (waitingOnExit.size === 0) {
    process.once('exit', () => {
      for (const waiting of waitingOnExit) waiting.flush();
    });
  }
  waitingOnExit.add(batch);
}
