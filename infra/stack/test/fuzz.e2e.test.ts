import path from 'node:path';
import { repoRoot, startStack, type StackProcess } from '../src/chaos/stack-process';
import { failureCount, failureDetails } from '../src/fuzz/fuzz-report';
import { fuzzPublic } from '../src/fuzz/fuzz-run';
import { DEFAULT_SETTINGS } from '../src/fuzz/run-schemathesis';
import { ensureSchemathesis } from '../src/native/schemathesis-venv';
import { offsetPorts, testStackEnv } from './support/stack-env';

/**
 * The outside check of the public contract (issue 14): schemathesis, a tool nobody on the
 * team wrote, reads the document the gateway serves at /docs/openapi.json and runs every
 * check in every phase (examples, coverage, fuzzing, stateful) against the whole stack as
 * `npm start` runs it, as a customer and as the admin, with the seed and bound of
 * `npm run fuzz`. Any failure fails the test, with schemathesis' account of each one.
 */
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

describe('the public contract, fuzzed from outside', () => {
  let stack: StackProcess | undefined;
  let schemathesis = '';
  let stateDir = '';

  beforeAll(async () => {
    const env = testStackEnv(PORTS, 'fuzz');
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

  afterAll(async () => {
    if (stack && stack.child.exitCode === null) {
      const exited = stack.interrupt();
      const timer = setTimeout(() => stack?.child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    }
  }, 90_000);

  it('schemathesis finds no failure: every operation, every check, every phase', async () => {
    const result = await fuzzPublic({
      repoRoot,
      schemathesis,
      gateway,
      settings: DEFAULT_SETTINGS,
      resultsDir: path.join(stateDir, 'fuzz'),
      log: () => undefined,
    });

    if ('missing' in result.outcome) throw new Error(result.outcome.missing);
    const { report, output } = result.outcome;
    // Every operation of the document was reached, in every phase.
    expect(report.operations.errored).toBe(0);
    expect(report.operations.tested).toBe(report.operations.total);
    expect(report.operations.total).toBeGreaterThan(0);
    expect(Object.keys(report.phases).sort()).toEqual(['coverage', 'examples', 'fuzzing', 'stateful']);
    // Schemathesis' own account of each failure, so a red run says what broke.
    expect(failureDetails(output)).toBe('');
    expect(failureCount(result)).toBe(0);
  }, 900_000);
});
