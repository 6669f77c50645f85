import { z } from 'zod';
import type { InternalService, RouteContract } from './route-contract';

/**
 * Liveness and readiness (http-kit's health routes), on every service. The public port
 * answers a plain status, so an outsider does not learn which dependency is down; the
 * admin listener names each check.
 */
export const liveAnswer = z.object({ status: z.literal('up') });

export const readyAnswer = z.object({ status: z.enum(['up', 'down']) });
export type ReadyAnswer = z.infer<typeof readyAnswer>;

export const adminReadyAnswer = z.object({
  status: z.enum(['up', 'down']),
  shuttingDown: z.boolean().describe('True once shutdown began: load balancers stop sending traffic'),
  checks: z.record(z.string(), z.enum(['up', 'down'])).describe('Each dependency of this service'),
});
export type AdminReadyAnswer = z.infer<typeof adminReadyAnswer>;

/** The two probes of the public port, as routes of `service`'s document. */
export function healthRoutesOf(service: InternalService) {
  return [
    {
      service,
      operationId: 'getLiveness',
      method: 'get',
      path: '/health/live',
      summary: 'The process runs',
      description: 'Always 200 while the process can answer at all.',
      responses: { 200: { description: 'Alive', body: liveAnswer } },
    },
    {
      service,
      operationId: 'getReadiness',
      method: 'get',
      path: '/health/ready',
      summary: 'The service can serve: not shutting down, every dependency answers',
      description: 'The admin listener has the same probe with each check named.',
      responses: {
        200: { description: 'Ready', body: readyAnswer },
        503: { description: 'Not ready (shutting down, or a dependency is down)', body: readyAnswer },
      },
    },
  ] as const satisfies readonly RouteContract[];
}
