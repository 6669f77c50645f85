import { createLogger, type Logger } from '@surge/logger';

/** What a started service offers a test (http-kit's RunningServer has these and more). */
export interface RunningService {
  url: string;
  adminUrl: string;
  stop(): Promise<void>;
}

/** A service as runMain knows it (@surge/service-runtime's ServiceDefinition fits). */
export interface StartableService<C, R extends RunningService> {
  name: string;
  loadConfig(env: Record<string, string | undefined>): C;
  start(config: C, logger: Logger): Promise<R>;
}

export interface TestService<C, R extends RunningService = RunningService> {
  url: string;
  /** The admin listener: readiness details, /metrics, /_control. */
  adminUrl: string;
  config: C;
  running: R;
  /** Stops the service, then what the test started for it (stubs, JWKS servers, pools). */
  stop(): Promise<void>;
}

export interface StartTestServiceOptions {
  /** Silent unless a test reads the lines. */
  logger?: Logger;
  /** Released after the service has stopped, in this order. */
  alsoStop?: Array<() => Promise<unknown>>;
}

/**
 * The variables every test start shares: a test's config, port 0 for the public and the
 * admin listener, no log noise, and a short grace so a stop does not wait out a hung call.
 */
const TEST_ENV = { NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', SHUTDOWN_GRACE_MS: '1000' };

/**
 * The real service in-process, started as main.ts starts it but with `env` (the test's
 * infrastructure, then the file's overrides) over TEST_ENV. When the start fails, what
 * `alsoStop` lists is released before the error goes on.
 */
export async function startTestService<C, R extends RunningService>(
  service: StartableService<C, R>,
  env: Record<string, string | undefined>,
  options: StartTestServiceOptions = {},
): Promise<TestService<C, R>> {
  const alsoStop = options.alsoStop ?? [];
  const releaseAll = async () => {
    for (const release of alsoStop) await release();
  };
  let running: R;
  let config: C;
  try {
    config = service.loadConfig({ ...TEST_ENV, ...env });
    running = await service.start(
      config,
      options.logger ?? createLogger({ service: service.name, level: 'silent' }),
    );
  } catch (error) {
    await releaseAll().catch(() => undefined);
    throw error;
  }
  return {
    url: running.url,
    adminUrl: running.adminUrl,
    config,
    running,
    async stop() {
      await running.stop();
      await releaseAll();
    },
  };
}
