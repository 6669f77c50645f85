import { Writable } from 'node:stream';
import { createLogger } from '@surge/logger';
import { testRedisUrl, uniqueSuffix } from '@surge/testing';
import { startGateway, type StartGatewayOptions } from '../../src/service';
import { loadConfig } from '../../src/config';

export interface TestGateway {
  url: string;
  /** The admin listener (metrics, readiness details): a port of its own on loopback. */
  adminUrl: string;
  /** Every log line the gateway wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  keyPrefix: string;
  stop(): Promise<void>;
}

/**
 * The real gateway in-process on port 0, against the test run's Redis with a key
 * prefix of its own (unless the test shares one on purpose), logging into memory.
 * `options` fakes DNS (resolveHost) or the balancer's dice (random).
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  options: StartGatewayOptions = {},
): Promise<TestGateway> {
  const keyPrefix = env.RATE_LIMIT_KEY_PREFIX ?? `rl-test:${uniqueSuffix()}:`;
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    SHUTDOWN_GRACE_MS: '1000',
    REDIS_URL: testRedisUrl('gateway'),
    // Production's 250 ms is for a Redis next door on a machine with room; the suite runs
    // twenty projects at once on two cores, where a count can wait longer than that and
    // a login would fail closed (503). A test that is about the timeout sets its own.
    RATE_LIMIT_REDIS_TIMEOUT_MS: '2000',
    ...env,
    RATE_LIMIT_KEY_PREFIX: keyPrefix,
  });
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean))
        logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ service: 'gateway', level: config.logLevel, destination });
  const running = await startGateway(config, logger, options);
  return { url: running.url, adminUrl: running.adminUrl, logs, keyPrefix, stop: () => running.stop() };
}
