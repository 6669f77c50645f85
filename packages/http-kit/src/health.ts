import { Router } from 'express';
import type { Logger } from '@surge/logger';
import type { Registry } from 'prom-client';

/** A named probe of one of this service's own dependencies; throws when it is down. */
export type ReadinessCheck = () => Promise<void>;

export interface Lifecycle {
  /** False once shutdown begins, so load balancers stop sending traffic first. */
  ready: boolean;
}

const CHECK_TIMEOUT_MS = 2_000;

async function runCheck(check: ReadinessCheck): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`check timed out after ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([check(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/health/live`: the process runs. `/health/ready`: it can serve, i.e. it is not
 * shutting down and every dependency answers. The answer names each check as `up` or
 * `down` only: addresses and error texts go to the log, not to the caller.
 */
export function healthRoutes(
  checks: Record<string, ReadinessCheck>,
  lifecycle: Lifecycle,
  logger: Logger,
  registry: Registry,
): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'up' });
  });
  router.get('/health/ready', async (_req, res) => {
    const results: Record<string, 'up' | 'down'> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await runCheck(check);
          results[name] = 'up';
        } catch (error) {
          results[name] = 'down';
          logger.warn({ err: error, dependency: name }, 'readiness check failed');
        }
      }),
    );
    const ready = lifecycle.ready && Object.values(results).every((state) => state === 'up');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'up' : 'down', shuttingDown: !lifecycle.ready, checks: results });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
