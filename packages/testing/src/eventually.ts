export interface EventuallyOptions {
  /** How long the state may take; generous, since a busy machine is slow, not wrong. */
  timeoutMs?: number;
  /** Pause between two checks. */
  intervalMs?: number;
  /** What is awaited, for the message when it never comes. */
  what?: string;
}

type Reached<T> = Exclude<T, undefined | null | false>;

/**
 * Waits for a state, never for the clock: calls `check` until it returns a value (not
 * undefined, null or false) and returns that value; a check that throws (an `expect`
 * not met yet) is retried too. A fixed sleep before an assertion passes on a quiet
 * machine and fails on a busy one; this takes as long as the effect takes. When the
 * time is up it fails with the check's last error, else with what it waited for.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 50, what = 'the condition' }: EventuallyOptions = {},
): Promise<Reached<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let lastError: unknown;
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value as Reached<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      if (lastError !== undefined) throw lastError;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * The same wait for a check written as assertions (`expect` about an effect that happens
 * on the system's own schedule): done once it stops throwing; returns what it returned.
 */
export async function eventuallyPasses<T>(
  assertion: () => T | Promise<T>,
  options: EventuallyOptions = {},
): Promise<T> {
  const passed = await eventually(async () => ({ value: await assertion() }), options);
  return passed.value;
}
