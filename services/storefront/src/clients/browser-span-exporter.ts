import type { Logger } from '@surge/logger';

/** A span the browser measured: from the user's action to the answer it got. */
export interface BrowserSpan {
  traceId: string;
  spanId: string;
  name: string;
  startMs: number;
  endMs: number;
  method: string;
  path: string;
  /** The answer's HTTP status; 0 when the request failed in the network. */
  status: number;
  userAgent: string | undefined;
}

export interface BrowserSpanExporter {
  export(span: BrowserSpan): Promise<void>;
}

const TIMEOUT_MS = 2_000;
const SPAN_KIND_CLIENT = 3;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;

/**
 * Sends browser spans to the trace collector as OTLP/HTTP JSON, under the service name
 * `browser`. The browser cannot reach the collector itself (it is not public, and the
 * page's content security policy allows this site only), and the SDK in this process
 * cannot emit a span with ids it did not make: the browser chose them, and the gateway's
 * span already names the browser's span as its parent. So the storefront relays it.
 */
export function createBrowserSpanExporter(options: {
  tracesUrl: string;
  logger: Logger;
}): BrowserSpanExporter {
  return {
    async export(span) {
      const attributes = [
        string('http.request.method', span.method),
        string('url.path', span.path),
        { key: 'http.response.status_code', value: { intValue: span.status } },
        ...(span.userAgent ? [string('user_agent.original', span.userAgent.slice(0, 300))] : []),
      ];
      const body = {
        resourceSpans: [
          {
            resource: {
              attributes: [string('service.name', 'browser'), string('telemetry.sdk.language', 'webjs')],
            },
            scopeSpans: [
              {
                scope: { name: 'surge-storefront-assets' },
                spans: [
                  {
                    traceId: span.traceId,
                    spanId: span.spanId,
                    name: span.name,
                    kind: SPAN_KIND_CLIENT,
                    startTimeUnixNano: `${span.startMs}000000`,
                    endTimeUnixNano: `${span.endMs}000000`,
                    attributes,
                    status: { code: span.status === 0 || span.status >= 500 ? STATUS_ERROR : STATUS_UNSET },
                  },
                ],
              },
            ],
          },
        ],
      };
      try {
        const res = await fetch(options.tracesUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        if (!res.ok) options.logger.warn({ status: res.status }, 'the collector refused a browser span');
      } catch (error) {
        // Telemetry never fails a page: the click is served; only its browser span is lost.
        options.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'browser span not exported',
        );
      }
    },
  };
}

function string(key: string, value: string) {
  return { key, value: { stringValue: value } };
}
