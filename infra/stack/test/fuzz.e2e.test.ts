import path from 'node:path';
import { repoRoot, startStack, type StackProcess } from '../src/chaos/stack-process';
import { failureCount, failureDetails, type FuzzTargetResult } from '../src/fuzz/fuzz-report';
import { fuzzInternal, fuzzPublic, INTERNAL_SERVICES, type FuzzRunOptions } from '../src/fuzz/fuzz-run';
import { DEFAULT_SETTINGS, FUZZ_DATABASE_SUFFIX, type FuzzSettings } from '../src/fuzz/run-schemathesis';
import { ensureSchemathesis } from '../src/native/schemathesis-venv';
import { offsetPorts, testStackEnv } from './support/stack-env';
import { stopStack } from './support/stop-stack';

/**
 * The outside check of the contracts (issue 14): schemathesis, a tool nobody on the team
 * wrote, reads the documents the code serves (the gateway's /docs/openapi.json, and each
 * internal API's on its service's admin listener) and runs every check in every phase
 * (examples, coverage, fuzzing, stateful) against the whole stack as `npm start` runs it,
 * with the hooks and settings of `npm run fuzz`. Any failure fails the test, with
 * schemathesis' own account of each one.
 *
 * `npm run fuzz` bounds the fuzzing phase at 40 examples per operation; here 10, so the
 * suite pays about two minutes for both runs: the coverage phase (every boundary and every
 * negative case of every parameter, which found most of what the fuzzer ever found) and the
 * stateful phase do not depend on the bound. FUZZ_MAX_EXAMPLES changes it.
 */
const SETTINGS: FuzzSettings = {
  seed: DEFAULT_SETTINGS.seed,
  maxExamples: Number(process.env.FUZZ_MAX_EXAMPLES ?? 10),
};
// Ports of its own (and their admin listeners, 1000 above) clear of the other stack tests';
// SURGE_E2E_PORT_OFFSET moves them all.
const PORTS = offsetPorts({
  GATEWAY: 22080,
  USER: 31001,
  PRODUCT: 31002,
  ORDER: 31003,
  PAYMENT: 31004,
  NOTIFICATION: 31005,
  STOREFRONT: 31006,
  PAYMENT_PROVIDER: 31010,
});
const gateway = `http://127.0.0.1:${PORTS.GATEWAY}`;

/** Every operation reached in every phase, and schemathesis' account of any failure. */
function expectNoFailure(result: FuzzTargetResult): void {
  if ('missing' in result.outcome) throw new Error(`${result.name}: ${result.outcome.missing}`);
  const { report, output } = result.outcome;
  expect({ target: result.name, errored: report.operations.errored }).toEqual({
    target: result.name,
    errored: 0,
  });
  expect(report.operations.tested).toBe(report.operations.total);
  expect(report.operations.total).toBeGreaterThan(0);
  expect(Object.keys(report.phases).sort()).toEqual(['coverage', 'examples', 'fuzzing', 'stateful']);
  // Operations mostly answered 429 were fuzzed against the rate limiter, not against the
  // API: the run would pass while testing next to nothing there.
  expect({ target: result.name, rateLimited: report.warnings?.rate_limited ?? [] }).toEqual({
    target: result.name,
    rateLimited: [],
  });
  // Schemathesis' own account of each failure, so a red run says what broke.
  expect(failureDetails(output)).toBe('');
  expect(failureCount(result)).toBe(0);
}

describe('the public and internal contracts, fuzzed from outside', () => {
  let stack: StackProcess | undefined;
  let schemathesis = '';
  let stateDir = '';

  beforeAll(async () => {
    // Databases of its own: the internal run charges orders that never existed, which the
    // journey test's audit of the shared surge_* databases would rightly report.
    const env: Record<string, string> = {
      // Its per-address limits lifted, as `npm run fuzz` runs it: schemathesis' refused
      // tokens must not get the valid ones answered 429 unread (testStackEnv).
      ...testStackEnv(PORTS, 'fuzz'),
      SURGE_DATABASE_SUFFIX: FUZZ_DATABASE_SUFFIX,
    };
    stateDir = env.SURGE_STATE_DIR!;
    // The runner finds the admin and the services through the same variables as the stack.
    Object.assign(process.env, env);
    // The stack is kept as soon as it is up, so afterAll stops it even when the install
    // of schemathesis (once per version, into ~/.cache/surge) outlasts this hook.
    await Promise.all([
      startStack(env).then((started) => (stack = started)),
      ensureSchemathesis(() => undefined).then((install) => (schemathesis = install.command)),
    ]);
  }, 900_000);

  afterAll(() => stopStack(stack), 90_000);

  const options = (): FuzzRunOptions => ({
    repoRoot,
    schemathesis,
    gateway,
    settings: SETTINGS,
    resultsDir: path.join(stateDir, 'fuzz'),
    log: () => undefined,
  });

  it('public: schemathesis finds no failure, every operation, every check, every phase', async () => {
    expectNoFailure(await fuzzPublic(options()));
  }, 900_000);

  it('internal: schemathesis finds no failure in any service’s document', async () => {
    const results = await fuzzInternal(options());
    expect(results.map((result) => result.name)).toEqual([...INTERNAL_SERVICES]);
    for (const result of results) expectNoFailure(result);
  }, 900_000);
});
