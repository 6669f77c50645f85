import path from 'node:path';
import { SERVICE_SPECS, urlOf } from '../services/service-specs';
import type { FuzzTargetResult } from './fuzz-report';
import { clientCredentials, publicTokens, serviceToken } from './fuzz-tokens';
import { runSchemathesis, type FuzzSettings } from './run-schemathesis';

export interface FuzzRunOptions {
  repoRoot: string;
  /** The schemathesis command (native/schemathesis-venv.ts). */
  schemathesis: string;
  gateway: string;
  settings: FuzzSettings;
  /** Where each target's JSON report and output go (`<dir>/<target>/`). */
  resultsDir: string;
  log: (line: string) => void;
}

/** The public contract: the gateway's own /docs/openapi.json, as a customer and as the admin. */
export async function fuzzPublic(options: FuzzRunOptions): Promise<FuzzTargetResult> {
  const tokens = await publicTokens(options.gateway);
  const document = `${options.gateway}/docs/openapi.json`;
  const outcome = await runSchemathesis(options.schemathesis, {
    document,
    baseUrl: options.gateway,
    configFile: path.join(options.repoRoot, 'fuzz-tests', 'public.toml'),
    reportDir: path.join(options.resultsDir, 'public'),
    settings: options.settings,
    env: { SURGE_FUZZ_USER_TOKEN: tokens.user, SURGE_FUZZ_ADMIN_TOKEN: tokens.admin },
    log: options.log,
  });
  return { name: 'public', document, outcome };
}

/**
 * The services with internal APIs (docs/internal-apis.md): the user service's token
 * endpoint takes client credentials, the others a service token minted for them.
 */
const INTERNAL_SERVICES = ['user', 'product', 'payment'];

/**
 * Each service's internal contract, from the document the service serves itself
 * (SURGE_FUZZ_INTERNAL_PATH, by default `/docs/openapi.json` as the gateway serves the public
 * one), as the order service calls it. A service that serves none is a failure of the run: the
 * contract of its internal API is then nowhere a client can read it.
 */
export async function fuzzInternal(options: FuzzRunOptions): Promise<FuzzTargetResult[]> {
  const docPath = process.env.SURGE_FUZZ_INTERNAL_PATH || '/docs/openapi.json';
  const userUrl = urlOf(SERVICE_SPECS.find((spec) => spec.name === 'user')!);
  const results: FuzzTargetResult[] = [];
  for (const name of INTERNAL_SERVICES) {
    const baseUrl = urlOf(SERVICE_SPECS.find((spec) => spec.name === name)!);
    const document = `${baseUrl}${docPath}`;
    const served = await fetch(document, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    if (!served?.ok) {
      results.push({
        name,
        document,
        outcome: {
          missing: `the service serves no OpenAPI document at ${docPath} (${served ? served.status : 'no answer'})`,
        },
      });
      continue;
    }
    const authorization = name === 'user' ? clientCredentials() : await serviceToken(userUrl, name);
    results.push({
      name,
      document,
      outcome: await runSchemathesis(options.schemathesis, {
        document,
        baseUrl,
        configFile: path.join(options.repoRoot, 'fuzz-tests', 'internal.toml'),
        reportDir: path.join(options.resultsDir, name),
        settings: options.settings,
        env: { SURGE_FUZZ_AUTHORIZATION: authorization },
        log: options.log,
      }),
    });
  }
  return results;
}
