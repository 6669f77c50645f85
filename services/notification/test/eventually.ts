import { eventually as waitFor } from '@surge/testing';

/**
 * Polls until `check` returns a value (anything but undefined: a check may find `null`
 * or `false` on purpose), or fails with `what` after `timeoutMs`; @surge/testing's
 * helper underneath, so every suite waits the same way.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const found = await waitFor(
    async () => {
      const value = await check();
      return value === undefined ? undefined : { value };
    },
    { what, timeoutMs, intervalMs: 100 },
  );
  return found.value;
}
