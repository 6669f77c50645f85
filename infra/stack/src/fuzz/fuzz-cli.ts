#!/usr/bin/env node
/**
 * `npm run fuzz -- [public|internal]`: schemathesis, from a pinned cached virtual
 * environment (native/schemathesis-venv.ts), against the contract the code serves, with
 * every check and every phase, a fixed seed and a bounded number of examples.
 * `public` (the default) fuzzes the gateway's /docs/openapi.json as a customer and as the
 * admin; `internal` each service's own document with a service token. Uses a stack that
 * already answers on the gateway (SURGE_GATEWAY_PORT), or starts one for the run and stops
 * it after. Writes docs/results/fuzz.md (fuzz-internal.md), and schemathesis' own JSON
 * report and output to .surge/fuzz/<target>/<time>/. Exits 1 on any failure.
 * FUZZ_SEED and FUZZ_MAX_EXAMPLES change the seed and the bound.
 */
import path from 'node:path';
import { ensureStack, gatewayUrl, repoRoot } from '../chaos/stack-process';
import { numberParam } from '../load/load-context';
import { surgePaths } from '../native/paths';
import { ensureSchemathesis } from '../native/schemathesis-venv';
import { failureCount, writeFuzzReport, type FuzzTargetResult } from './fuzz-report';
import { fuzzInternal, fuzzPublic, type FuzzRunOptions } from './fuzz-run';
import { DEFAULT_SETTINGS, FUZZ_DATABASE_SUFFIX } from './run-schemathesis';

const log = (line: string) => process.stdout.write(`${line}\n`);
const TARGETS = ['public', 'internal'] as const;
type Target = (typeof TARGETS)[number];

async function main(): Promise<void> {
  const [given = 'public'] = process.argv.slice(2);
  if (!(TARGETS as readonly string[]).includes(given)) {
    process.stderr.write(
      `unknown target "${given}"\n\nusage: npm run fuzz -- [public|internal]\n  public    the gateway's /docs/openapi.json (the default)\n  internal  each service's internal document\n`,
    );
    process.exit(2);
  }
  const target = given as Target;
  const started = Date.now();
  const schemathesis = await ensureSchemathesis(log);
  const options: FuzzRunOptions = {
    repoRoot,
    schemathesis: schemathesis.command,
    gateway: gatewayUrl(),
    settings: {
      seed: Math.floor(numberParam('FUZZ_SEED', DEFAULT_SETTINGS.seed)),
      maxExamples: Math.max(1, Math.floor(numberParam('FUZZ_MAX_EXAMPLES', DEFAULT_SETTINGS.maxExamples))),
    },
    resultsDir: path.join(
      surgePaths().stateDir,
      'fuzz',
      target,
      new Date().toISOString().replace(/[:.]/g, '-'),
    ),
    log,
  };
  // A stack of its own gets databases of its own: the internal run charges invented
  // orders, which the audit of a shop's databases must not find (stack-context.ts).
  const stack = await ensureStack(log, 'fuzz', { databaseSuffix: FUZZ_DATABASE_SUFFIX });
  let results: FuzzTargetResult[];
  try {
    log(
      `[fuzz] ${target} against ${options.gateway}; schemathesis ${schemathesis.version}; output in ${options.resultsDir}`,
    );
    results = target === 'public' ? [await fuzzPublic(options)] : await fuzzInternal(options);
  } finally {
    if (stack) await stack.interrupt();
  }
  const seconds = (Date.now() - started) / 1000;
  const file = writeFuzzReport(repoRoot, {
    target,
    version: schemathesis.version,
    settings: options.settings,
    results,
    seconds,
  });
  const failures = results.reduce((sum, result) => sum + failureCount(result), 0);
  log(
    `[fuzz] ${target}: ${failures} failures in ${seconds.toFixed(0)} s; report in ${path.relative(repoRoot, file)}`,
  );
  if (failures > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`[fuzz] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
