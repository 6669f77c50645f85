import { Router } from 'express';
import type { AdminReadyAnswer, ReadyAnswer } from '@surge/contracts';
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

/** Probes every dependency; names each `up` or `down` (errors go to the log only). */
async function probe(
  checks: Record<string, ReadinessCheck>,
  lifecycle: Lifecycle,
  logger: Logger,
): Promise<{ ready: boolean; results: Record<string, 'up' | 'down'> }> {
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
  return { ready, results };
}

/**
 * Public port. `/health/live`: the process runs. `/health/ready`: it can serve, i.e. it
 * is not shutting down and every dependency answers; the answer is a plain status (load
 * balancers and probes need no more), so the public port does not tell an outsider
 * which dependency is down. The details are on the admin listener.
 */
export function healthRoutes(
  checks: Record<string, ReadinessCheck>,
  lifecycle: Lifecycle,
  logger: Logger,
): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'up' });
  });
  router.get('/health/ready', async (_req, res) => {
    const { ready } = await probe(checks, lifecycle, logger);
    // The contract's answers (packages/contracts/src/internal/health.ts).
    const answer: ReadyAnswer = { status: ready ? 'up' : 'down' };
    res.status(ready ? 200 : 503).json(answer);
  });
  return router;
}

/**
 * Admin listener: the same probes with each check named `up` or `down` (addresses and
 * error texts go to the log, not to the caller), and the Prometheus `/metrics`.
 */
export function adminHealthRoutes(
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
    const { ready, results } = await probe(checks, lifecycle, logger);
    const answer: AdminReadyAnswer = {
      status: ready ? 'up' : 'down',
      shuttingDown: !lifecycle.ready,
      checks: results,
    };
    res.status(ready ? 200 : 503).json(answer);
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
