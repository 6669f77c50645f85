/** One progress line at a time; callers decide where it goes (terminal, jest, a logger). */
export type Log = (line: string) => void;

export const consoleLog: Log = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Prefixes every line the way all infra output looks: `[infra] postgres: starting ...`. */
export function componentLog(log: Log, component: string): Log {
  return (message) => log(`[infra] ${component}: ${message}`);
}

/**
 * A failure a developer can act on: `message` says what went wrong, `hint` what to do.
 * The CLI prints both and exits non-zero instead of dumping a stack trace.
 */
export class InfraError extends Error {
  override readonly name = 'InfraError';
  constructor(
    readonly component: string,
    message: string,
    readonly hint?: string,
  ) {
    super(`${component}: ${message}${hint ? `\n  -> ${hint}` : ''}`);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
