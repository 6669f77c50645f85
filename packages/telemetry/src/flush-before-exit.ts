type Exit = (code?: number | string | null) => never;

/**
 * Holds the process's exit until `flush` (exporting buffered spans) settles, for at most
 * `timeoutMs`.
 *
 * Why wrap process.exit: @surge/http-kit's `stopOnSignals` calls it once the server has
 * drained and its cleanups (relay, consumers, pools) have run, so every span of the
 * shutdown has ended by then, and no service has to change. A SIGTERM listener of our
 * own would flush too early (the spans of requests still draining would be lost), and
 * 'beforeExit' never fires on an explicit exit. It still covers a process that ends on
 * its own, with nothing left on the event loop.
 *
 * The first exit call waits; any later one (a second Ctrl-C) exits at once with the
 * code first asked for, since the caller's code runs on after the first call returns.
 */
export function flushBeforeExit(flush: () => Promise<void>, timeoutMs: number): void {
  const exit: Exit = process.exit.bind(process);
  let requested: { code: number | string | null | undefined } | undefined;
  const exitAfterFlush: Exit = (code) => {
    if (requested) return exit(requested.code ?? code);
    requested = { code };
    const timer = setTimeout(() => exit(code), timeoutMs);
    void flush().finally(() => {
      clearTimeout(timer);
      exit(code);
    });
    return undefined as never;
  };
  process.exit = exitAfterFlush as typeof process.exit;
  process.once('beforeExit', () => void flush());
}
