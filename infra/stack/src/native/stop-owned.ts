import { stopRecorded } from './daemon';
import type { Infra } from './infra';
import type { Log } from './log';
import { COMPONENTS } from './paths';

/**
 * After `stopInfra`: a component this process started may have been restarted since by a
 * chaos command (`npm run stack -- restart postgres`), under a new pid that the handle does not
 * know. Whatever runs in its place now is still this process's to stop.
 */
export async function stopReplacedInfra(infra: Infra, log: Log): Promise<void> {
  const handles = infra as unknown as Record<string, { startedByUs?: boolean } | undefined>;
  for (const component of COMPONENTS) {
    if (handles[component]?.startedByUs)
      await stopRecorded(infra.paths, component, log).catch(() => undefined);
  }
}
