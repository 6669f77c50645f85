import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** How one run is bounded and made repeatable: the same seed and count give the same cases. */
export interface FuzzSettings {
  seed: number;
  /** Examples per operation in the fuzzing phase (schemathesis' --max-examples). */
  maxExamples: number;
}

/** The databases a fuzzed stack writes to: surge_<service>_fuzz (stack-context.ts, databaseSuffix). */
export const FUZZ_DATABASE_SUFFIX = '_fuzz';

export const DEFAULT_SETTINGS: FuzzSettings = { seed: 14, maxExamples: 40 };

export interface SchemathesisRun {
  /** The document's URL (`<gateway>/docs/openapi.json`). */
  document: string;
  /** Where requests go. */
  baseUrl: string;
  /** The schemathesis.toml of this target (auth, phases, per-operation headers). */
  configFile: string;
  /**
   * The hooks file (fuzz-tests/hooks.py): a fresh Idempotency-Key per request and real
   * cursors, the two rules of the document no JSON Schema states. Loaded through
   * schemathesis' SCHEMATHESIS_HOOKS.
   */
  hooksFile: string;
  /** Where the JSON report and the text output are written. */
  reportDir: string;
  settings: FuzzSettings;
  /** The tokens, passed in the environment the config file reads them from. */
  env: Record<string, string>;
  log: (line: string) => void;
}

export interface SchemathesisOutcome {
  code: number;
  /** schemathesis' own output, colourless: its FAILURES section explains each one. */
  output: string;
  /** Its JSON run report (`--report json`). */
  report: SchemathesisReport;
}

/** The parts of schemathesis' JSON run report (4.x) the report of `npm run fuzz` reads. */
export interface SchemathesisReport {
  schemathesis_version: string;
  seed: number;
  running_time: number;
  complete: boolean;
  operations: { total: number; selected: number; tested: number; errored: number; skipped: number };
  phases: Record<string, { status: string; skip_reason: string | null }>;
  test_cases: { generated: number; with_failures: number; unique_failures: number; errored: number };
  failures: Array<{ code: string; title: string; count: number; operations: string[] }>;
  errors: unknown[];
  /** Operations by warning (`rate_limited`: mostly answered 429, so the limiter was fuzzed). */
  warnings?: Record<string, string[]>;
}

/** The checks of `--checks all`, as schemathesis 4 names them: the report lists what ran. */
export const ALL_CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'positive_data_acceptance',
  'missing_required_header',
  'unsupported_method',
  'allow_header_conformance',
  'use_after_free',
  'ensure_resource_availability',
  'ignored_auth',
  'object_level_authorization',
];

export const PHASES = ['examples', 'coverage', 'fuzzing', 'stateful'];

/** The command line: every check, every phase, one worker (a 2-core machine runs the stack too). */
export function schemathesisArgs(run: Omit<SchemathesisRun, 'env' | 'log' | 'hooksFile'>): string[] {
  return [
    '--no-color',
    '--config-file',
    run.configFile,
    'run',
    run.document,
    '--url',
    run.baseUrl,
    '--checks',
    'all',
    '--phases',
    PHASES.join(','),
    '--seed',
    String(run.settings.seed),
    '--max-examples',
    String(run.settings.maxExamples),
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--wait-for-schema',
    '30',
    '--report',
    'json',
    '--report-json-path',
    path.join(run.reportDir, 'report.json'),
  ];
}

/** Runs schemathesis to its end; its output is echoed line by line and kept for the report. */
export async function runSchemathesis(command: string, run: SchemathesisRun): Promise<SchemathesisOutcome> {
  fs.mkdirSync(run.reportDir, { recursive: true });
  const reportFile = path.join(run.reportDir, 'report.json');
  fs.rmSync(reportFile, { force: true });
  const child = spawn(command, schemathesisArgs(run), {
    cwd: run.reportDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PYTHONUNBUFFERED: '1',
      SCHEMATHESIS_HOOKS: run.hooksFile,
      // The hooks read first pages of lists from where the requests go.
      SURGE_FUZZ_BASE_URL: run.baseUrl,
      ...run.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  const echo = (chunk: Buffer) => {
    const text = chunk.toString();
    chunks.push(text);
    for (const line of text.split('\n')) if (line.trim()) run.log(`[schemathesis] ${line.trimEnd()}`);
  };
  child.stdout.on('data', echo);
  child.stderr.on('data', echo);
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exit, signal) => resolve(exit ?? (signal ? 128 : 1)));
  });
  const output = chunks.join('');
  fs.writeFileSync(path.join(run.reportDir, 'output.txt'), output);
  if (!fs.existsSync(reportFile))
    throw new Error(`schemathesis exited with ${code} and wrote no report:\n${output.slice(-3000)}`);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as SchemathesisReport;
  return { code, output, report };
}
