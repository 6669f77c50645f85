import path from 'node:path';
import { adminUrlOf, findSpec, urlOf } from '../services/service-specs';
import { seedLists } from './fuzz-data';
import type { FuzzTargetResult } from './fuzz-report';
import { publicTokens, serviceToken } from './fuzz-tokens';
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

const hooksFile = (options: FuzzRunOptions) => path.join(options.repoRoot, 'fuzz-tests', 'hooks.py');

/** The public contract: the gateway's own /docs/openapi.json, as a customer and as the admin. */
export async function fuzzPublic(options: FuzzRunOptions): Promise<FuzzTargetResult> {
  const tokens = await publicTokens(options.gateway);
  const seeded = await seedLists(options.gateway, tokens.user);
  options.log(
    `[fuzz] the fuzz customer has ${seeded.orders} orders and ${seeded.notifications} notifications on its first pages`,
  );
  const document = `${options.gateway}/docs/openapi.json`;
  const outcome = await runSchemathesis(options.schemathesis, {
    document,
    baseUrl: options.gateway,
    configFile: path.join(options.repoRoot, 'fuzz-tests', 'public.toml'),
    hooksFile: hooksFile(options),
    reportDir: path.join(options.resultsDir, 'public'),
    settings: options.settings,
    env: {
      SURGE_FUZZ_USER_TOKEN: tokens.user,
      SURGE_FUZZ_ADMIN_TOKEN: tokens.admin,
      SURGE_FUZZ_EMAIL: tokens.customer.email,
      SURGE_FUZZ_PASSWORD: tokens.customer.password,
      // The hooks read first pages of lists as the customer.
      SURGE_FUZZ_AUTHORIZATION: `Bearer ${tokens.user}`,
    },
    log: options.log,
  });
  return { name: 'public', document, outcome };
}

/**
 * The services with internal APIs (docs/internal-apis.md), each with its generated document
 * (docs/openapi/internal/): the user service's JWKS and token endpoint, product's and
 * payment's routes for the order service (a service token minted for them), and the payment
 * provider simulator the payment service calls (no credentials).
 */
export const INTERNAL_SERVICES = ['user', 'product', 'payment', 'payment-provider'] as const;

/**
 * The service token the fuzzed calls carry where the document asks for one (product and
 * payment, as the order service calls them); none for the documents that name no credentials.
 */
async function serviceTokenFor(service: string): Promise<string | undefined> {
  if (service === 'payment-provider' || service === 'user') return undefined;
  return (await serviceToken(urlOf(findSpec('user')), service)).replace(/^Bearer /, '');
}

/**
 * Each service's internal contract, from the document the service serves on its admin
 * listener (SURGE_FUZZ_INTERNAL_PATH, by default `/docs/openapi.json`), sent to the service's
 * own port as its callers do. A service that serves none is a failure of the run: the
 * contract of its internal API is then nowhere a client can read it.
 */
export async function fuzzInternal(options: FuzzRunOptions): Promise<FuzzTargetResult[]> {
  const docPath = process.env.SURGE_FUZZ_INTERNAL_PATH || '/docs/openapi.json';
  const results: FuzzTargetResult[] = [];
  for (const name of INTERNAL_SERVICES) {
    const spec = findSpec(name);
    const baseUrl = urlOf(spec);
    const document = `${adminUrlOf(spec)}${docPath}`;
    const served = await fetch(document, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    if (!served?.ok) {
      results.push({
        name,
        document,
        outcome: {
          missing: `the service serves no OpenAPI document at ${document} (${served ? served.status : 'no answer'})`,
        },
      });
      continue;
    }
    const token = await serviceTokenFor(name);
    results.push({
      name,
      document,
      outcome: await runSchemathesis(options.schemathesis, {
        document,
        baseUrl,
        configFile: path.join(options.repoRoot, 'fuzz-tests', token ? 'internal.toml' : 'internal-open.toml'),
        hooksFile: hooksFile(options),
        reportDir: path.join(options.resultsDir, name),
        settings: options.settings,
        env: token ? { SURGE_FUZZ_SERVICE_TOKEN: token } : {},
        log: options.log,
      }),
    });
  }
  return results;
}
