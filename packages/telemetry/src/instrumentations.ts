import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';

/**
 * Probes and scrapes (the stack's readiness polls, the gateway's upstream health checks,
 * Prometheus) arrive every few seconds; as traces they would bury the requests people
 * look for.
 */
export function isProbePath(path: string | undefined): boolean {
  return path !== undefined && /^\/(health|metrics)(\/|\?|$)/.test(path);
}

/**
 * What is patched at load: the HTTP server and client, undici (the services' HTTP
 * client), express routes (`expressRoutes`), pg and ioredis.
 *
 * The gateway passes `expressRoutes: false`: its proxy chain is middleware only, so the
 * express instrumentation never made a span there, yet it wrapped every layer a request
 * passed and bound each callback to the context (about 2 % of the gateway's CPU in its
 * profile). The gateway's server span and its client span to the upstream are the HTTP
 * and undici instrumentations'.
 *
 * kafkajs is deliberately not here. Surge publishes through the outbox relay, which sends
 * a batch of rows written by many earlier transactions: @opentelemetry/instrumentation-kafkajs
 * would parent every send on the relay's loop and overwrite each row's stored
 * `traceparent`, cutting the trace at the Kafka hop. @surge/messaging traces both ends
 * itself (a publish span per row under the row's own context, a consumer span per message).
 */
export function createInstrumentations(
  options: { expressRoutes: boolean } = { expressRoutes: true },
): NodeSDKConfiguration['instrumentations'] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => isProbePath(request.url),
      ignoreOutgoingRequestHook: (request) => isProbePath(request.path ?? undefined),
    }),
    new UndiciInstrumentation({ ignoreRequestHook: (request) => isProbePath(request.path) }),
    // Route handlers only. A span per middleware (request id, metrics, body parser...) and
    // per router doubles a trace's size and says little: every request passes the routers
    // mounted at '/' (health, ...), whose spans are named after their first route. Their
    // time shows in the server span, which is named after the matched route.
    ...(options.expressRoutes
      ? [
          new ExpressInstrumentation({
            ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER],
          }),
        ]
      : []),
    // requireParentSpan: the relay's 1 s poll, LISTEN and the recovery worker's scans would
    // otherwise each start a trace of their own every second. Parameters are never recorded.
    new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ];
}
