/**
 * Retries `check` until it stops throwing, for effects that happen on the gateway's
 * own schedule (health checks, re-resolution, an ejection running out). Fails with
 * the last assertion error, so a test that never converges says what it waited for.
 */
export async function eventually<T>(
  check: () => Promise<T> | T,
  { timeoutMs = 10_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
