import type { StackProcess } from '../../src/chaos/stack-process';

/**
 * Ctrl-C to a test's stack, so it stops what it started in order, even when the test
 * failed; SIGKILL if it has not ended a minute later. Nothing to do for a stack that
 * never started or already ended.
 */
export async function stopStack(stack: StackProcess | undefined): Promise<void> {
  if (!stack || stack.child.exitCode !== null) return;
  const exited = stack.interrupt();
  const timer = setTimeout(() => stack.child.kill('SIGKILL'), 60_000);
  await exited;
  clearTimeout(timer);
}
