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
 * profile). With `listenerSpans` (the gateway, see config.ts) the HTTP server and undici
 * are not instrumented: the gateway's listener makes its server span and its upstream
 * calls' client spans itself (edge-request-trace.ts).
 *
 * kafkajs is deliberately not here. Surge publishes through the outbox relay, which sends
 * a batch of rows written by many earlier transactions: @opentelemetry/instrumentation-kafkajs
 * would parent every send on the relay's loop and overwrite each row's stored
 * `traceparent`, cutting the trace at the Kafka hop. @surge/messaging traces both ends
 * itself (a publish span per row under the row's own context, a consumer span per message).
 */
export function createInstrumentations(
  options: { expressRoutes: boolean; listenerSpans?: boolean } = { expressRoutes: true },
): NodeSDKConfiguration['instrumentations'] {
  return [
    new HttpInstrumentation({
      // The listener makes its server spans itself (edge-request-trace.ts): patched, the
      // server would still pay the instrumentation's context and emitter binding for
      // every request, even one it is told to ignore.
      disableIncomingRequestInstrumentation: options.listenerSpans === true,
      ignoreIncomingRequestHook: (request) => isProbePath(request.url),
      ignoreOutgoingRequestHook: (request) => isProbePath(request.path ?? undefined),
    }),
    // With listenerSpans the proxy injects its own traceparent per upstream call.
    ...(options.listenerSpans
      ? []
      : [new UndiciInstrumentation({ ignoreRequestHook: (request) => isProbePath(request.path) })]),
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
