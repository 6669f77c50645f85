import { z } from 'zod';
import { named } from './common';

/** The gateway's own endpoints: health for load balancers and people. */
export const liveness = named('Liveness', 'The process runs.', z.object({ status: z.literal('up') }));

export const readiness = named(
  'Readiness',
  'Whether this gateway takes traffic; which dependency is down is told only on the admin listener.',
  z.object({ status: z.enum(['up', 'down']) }),
);

const instanceSummary = named(
  'InstanceSummary',
  'One instance of an upstream as the gateway sees it.',
  z.object({
    id: z.string().meta({
      description: "The gateway's name for the instance; its logs pair it with the address.",
      examples: ['user-1'],
    }),
    state: z.enum(['healthy', 'ejected', 'unhealthy']).meta({
      description:
        '`healthy` takes traffic; `ejected`: out for a while after consecutive failed requests; `unhealthy`: failing its `/health/ready` checks.',
    }),
    address: z.string().optional().meta({
      description: 'Only when the gateway runs with `HEALTH_SHOW_INSTANCE_ADDRESSES=true`.',
    }),
  }),
);

const upstreamSummary = named(
  'UpstreamSummary',
  'An upstream service: `up` when an instance is healthy, `down` when none is, `not-configured` without a `<NAME>_SERVICE_URL`.',
  z.object({
    status: z.enum(['up', 'down', 'not-configured']),
    instances: z.array(instanceSummary),
  }),
);

export const healthSummary = named(
  'HealthSummary',
  'Every upstream of the gateway; `up` when each configured one has a healthy instance.',
  z.object({
    status: z.enum(['up', 'down']),
    upstreams: z.record(z.string(), upstreamSummary),
  }),
);
