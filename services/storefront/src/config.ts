import { z } from 'zod';
import { baseServiceEnv, httpUrl, parseConfig, port, redisUrl } from '@surge/config';

/**
 * `user=http://127.0.0.1:3001,order=http://127.0.0.1:3003`: where the operations console
 * finds each service. An entry may be a `file://` addresses file (the native stack's), so
 * scaled instances show up. Kept per service and per purpose (metrics, control) so a
 * deployment can point them at a separate admin listener.
 */
const serviceMap = z.string().transform((value, ctx) => {
  const map: Record<string, string[]> = {};
  for (const entry of value
    .split(/[,\s]+/)
    .map((part) => part.trim())
    .filter(Boolean)) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, at);
    const url = entry.slice(at + 1);
    if (at <= 0 || !/^[a-z][\w-]*$/.test(name) || !/^(https?|file):\/\//.test(url)) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not name=http(s)://... or name=file://...` });
      continue;
    }
    (map[name] ??= []).push(url);
  }
  return map;
});

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

/** Development only; production refuses to start with it. */
export const DEV_SESSION_SECRET = 'surge-storefront-dev-secret';

const schema = z
  .object({
    ...baseServiceEnv,
    PORT: port(3006),
    REDIS_URL: redisUrl,
    /** The public API, as any client reaches it: the storefront calls nothing else. */
    GATEWAY_URL: httpUrl.default('http://127.0.0.1:8080'),
    API_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
    SESSION_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(8 * 3_600),
    /** Under `storefront:`, the only keys the storefront's Redis user may touch. */
    SESSION_KEY_PREFIX: z
      .string()
      .regex(
        /^storefront:[\w.:-]{1,64}$/,
        'must start with storefront: (its Redis user may touch nothing else)',
      )
      .default('storefront:session:'),
    /** Signs CSRF tokens; the same on every instance, so a form rendered by one posts to another. */
    SESSION_SECRET: z.string().min(16).default(DEV_SESSION_SECRET),
    /** The gateway in front; more when a load balancer sits before it (X-Forwarded-Proto decides Secure cookies). */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(1),
    /** Operations console: metrics (`/metrics`) and control (`/_control`) base URLs per service. */
    OPS_METRICS_URLS: z.preprocess(emptyAsUnset, serviceMap.optional()),
    OPS_CONTROL_URLS: z.preprocess(emptyAsUnset, serviceMap.optional()),
    /** Where the console links traces (Jaeger's UI), if one runs. */
    JAEGER_UI_URL: z.preprocess(emptyAsUnset, httpUrl.optional()),
    /** docs/results of the checkout: the last load and chaos runs the console shows. */
    OPS_RESULTS_DIR: z.preprocess(emptyAsUnset, z.string().optional()),
    /** The OpenTelemetry SDK's own settings; the storefront relays browser spans by them. */
    OTEL_SDK_DISABLED: z.preprocess(emptyAsUnset, z.string().trim().toLowerCase().optional()),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyAsUnset, z.string().optional()),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.preprocess(emptyAsUnset, z.string().optional()),
  })
  .transform(
    ({ OTEL_SDK_DISABLED, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, ...env }) => {
      // The rule of packages/telemetry's config.ts, which traces this process: browser spans
      // go where the process's own spans go, and nowhere when it does not trace. Read here,
      // not imported: the SDK is loaded with --require and is no dependency of the service.
      const tracing =
        OTEL_SDK_DISABLED === 'true' ? false : env.NODE_ENV !== 'test' || OTEL_SDK_DISABLED === 'false';
      const base = OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
      const tracesUrl = OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${base ?? 'http://127.0.0.1:4318'}/v1/traces`;
      // Like the SDK, a bad endpoint costs the spans, never the start.
      return {
        ...env,
        BROWSER_SPANS_URL: tracing && /^https?:\/\/[^/]/.test(tracesUrl) ? tracesUrl : undefined,
      };
    },
  )
  .refine((env) => env.NODE_ENV !== 'production' || env.SESSION_SECRET !== DEV_SESSION_SECRET, {
    path: ['SESSION_SECRET'],
    message: 'production needs its own SESSION_SECRET, not the development default',
  });

export type StorefrontConfig = Readonly<z.infer<typeof schema>>;

export function loadConfig(env: Record<string, string | undefined>): StorefrontConfig {
  return parseConfig(schema, env);
}
