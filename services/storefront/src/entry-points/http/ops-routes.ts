import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '@surge/logger';
import type { ApiClient } from '../../clients/api-client';
import type { OpsSources } from '../../clients/ops-sources';
import type { SessionStore } from '../../data-access/session-store';
import { DEAD_LETTER_POSITION } from '@surge/contracts';
import { deadLettersPage } from '../../views/dead-letters-page';
import { errorPage } from '../../views/error-page';
import { FAULT_PRESETS, opsPage, type FaultSwitchRecord } from '../../views/ops-page';
import {
  pageContext,
  redirectWithFlash,
  requireSignedIn,
  sendPage,
  shopperOf,
  signedInSession,
} from './shopper';

export interface OpsDeps {
  api: ApiClient;
  store: SessionStore;
  ops: OpsSources;
  logger: Logger;
  /** Development only: the console may switch faults (the services refuse them in production anyway). */
  faultInjection: boolean;
}

const faultForm = z.object({
  service: z.string().max(40),
  preset: z.enum(Object.keys(FAULT_PRESETS) as [string, ...string[]]),
});
const MAX_SWITCHES_SHOWN = 20;

const replayForm = z.object({
  service: z.string().max(40),
  topic: z.string().min(1).max(200),
  position: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().regex(DEAD_LETTER_POSITION).optional(),
  ),
});

/** The role comes from the session's access token, which the identity service signed. */
function requireAdmin(deps: OpsDeps): RequestHandler {
  return async (_req, res, next) => {
    if (shopperOf(res).session?.role === 'admin') return next();
    const page = errorPage(await pageContext(deps.store, res), {
      status: 403,
      title: 'Operations console',
      message: 'Only administrators can open the operations console. Sign in with an administrator account.',
      action: { href: '/login?next=%2Fops', text: 'Sign in as an administrator' },
    });
    sendPage(res, page, 403);
  };
}

/** `/ops`: the operations console (admin only). */
export function opsRoutes(deps: OpsDeps): Router {
  const router = Router();
  const switches: FaultSwitchRecord[] = [];
  router.use(requireSignedIn, requireAdmin(deps));

  router.get('/', async (_req, res) => {
    const [instances, health, faultLists] = await Promise.all([
      deps.ops.instances(),
      deps.ops.gatewayHealth(),
      deps.faultInjection
        ? Promise.all(
            deps.ops.services.map(async (service) => [service, await deps.ops.faults(service)] as const),
          )
        : Promise.resolve([]),
    ]);
    const view = {
      instances,
      health,
      faults: Object.fromEntries(faultLists),
      faultInjection: deps.faultInjection,
      switches,
      chaos: deps.ops.chaosRuns(),
      load: deps.ops.loadRuns(),
      jaegerUiUrl: deps.ops.jaegerUiUrl,
    };
    sendPage(res, opsPage(await pageContext(deps.store, res), view));
  });

  router.post('/faults', async (req, res) => {
    const form = faultForm.safeParse(req.body);
    if (!deps.faultInjection || !form.success || !deps.ops.services.includes(form.data.service)) {
      return redirectWithFlash(deps.store, res, '/ops', {
        kind: 'error',
        text: 'That fault cannot be switched here.',
      });
    }
    const admin = signedInSession(res);
    const preset = FAULT_PRESETS[form.data.preset]!;
    const instances = await deps.ops.switchFaults(form.data.service, preset.faults);
    // Who switched what, in the log every other line of the system is in.
    deps.logger.warn(
      {
        adminId: admin.userId,
        adminEmail: admin.email,
        service: form.data.service,
        faults: preset.faults,
        instances,
      },
      'fault switched from the operations console',
    );
    switches.unshift({
      at: new Date().toISOString(),
      by: admin.email,
      service: form.data.service,
      fault: preset.label,
      instances,
    });
    switches.splice(MAX_SWITCHES_SHOWN);
    await redirectWithFlash(deps.store, res, '/ops', {
      kind: instances > 0 ? 'info' : 'error',
      text: `${form.data.service}: ${preset.label} on ${instances} instance${instances === 1 ? '' : 's'}.`,
    });
  });

  router.get('/dead-letters', async (_req, res) => {
    sendPage(res, deadLettersPage(await pageContext(deps.store, res), await deps.ops.deadLetters()));
  });

  router.post('/dead-letters/replay', async (req, res) => {
    const form = replayForm.safeParse(req.body);
    if (!form.success || !deps.ops.services.includes(form.data.service)) {
      return redirectWithFlash(deps.store, res, '/ops/dead-letters', {
        kind: 'error',
        text: 'That replay cannot be asked for here.',
      });
    }
    const admin = signedInSession(res);
    const { service, topic, position } = form.data;
    const answer = await deps.ops.replayDeadLetters(service, { topic, position, by: admin.email });
    // Who replayed what, in the log every other line of the system is in (the service logs it too).
    deps.logger.warn(
      {
        adminId: admin.userId,
        adminEmail: admin.email,
        service,
        topic,
        position: position ?? 'all',
        ...('result' in answer ? answer.result : { problem: answer.problem }),
      },
      'dead letters replayed from the operations console',
    );
    const what = position ? `${topic}.dlq ${position}` : `${topic}.dlq`;
    await redirectWithFlash(
      deps.store,
      res,
      '/ops/dead-letters',
      'result' in answer
        ? {
            kind: 'info',
            text: `${service}: replayed ${answer.result.replayed} of ${what} to ${topic}; ${answer.result.skipped} replayed before.`,
          }
        : { kind: 'error', text: `${service}: ${what} not replayed: ${answer.problem}` },
    );
  });

  router.get(/^\/results\/(.+)$/, (req, res, next) => {
    const file = deps.ops.resultFile(String((req.params as Record<string, string>)[0] ?? ''));
    if (!file) return next();
    res
      .type(file.type)
      .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .sendFile(file.path);
  });

  return router;
}
