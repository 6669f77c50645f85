import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { INTERNAL_API_SERVICES, internalOpenApi } from '../../internal/openapi';
import { buildPublicOpenApi } from './build-document';

const run = promisify(execFile);
const RULESET = path.resolve(__dirname, '../../../spectral.yaml');
const SPECTRAL = path.join(
  path.dirname(require.resolve('@stoplight/spectral-cli/package.json')),
  'dist',
  'index.js',
);

interface Finding {
  code: string;
  message: string;
  severity: number;
  path: string[];
}

/** Spectral's findings on a generated document, with the repository's ruleset. */
async function lint(document: unknown): Promise<Finding[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'surge-openapi-'));
  try {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    // Exit code 1 with findings; the JSON report is on stdout either way.
    const { stdout } = await run(
      process.execPath,
      [
        SPECTRAL,
        'lint',
        file,
        '--ruleset',
        RULESET,
        '--format',
        'json',
        '--fail-severity',
        'error',
        '--quiet',
      ],
      { maxBuffer: 32 * 1024 * 1024 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    return JSON.parse(stdout || '[]') as Finding[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const described = (findings: Finding[]) =>
  findings.map((finding) => `${finding.code} at ${finding.path.join('.')}: ${finding.message}`);

describe('the generated public OpenAPI document, linted by Spectral', () => {
  let findings: Finding[];

  beforeAll(async () => {
    findings = await lint(buildPublicOpenApi());
  }, 120_000);

  it('has no error or warning under the oas rules and the repository ruleset', () => {
    expect(described(findings.filter((finding) => finding.severity <= 1))).toEqual([]);
  });
});

describe('the generated internal OpenAPI documents, linted by Spectral with the same ruleset', () => {
  // Any finding at all, hints and information included: these documents have none.
  it.each(INTERNAL_API_SERVICES)(
    '%s: no finding',
    async (service) => {
      expect(described(await lint(internalOpenApi(service)))).toEqual([]);
    },
    120_000,
  );
});
