import { failureCount, failureDetails, formatFuzzReport, type FuzzTargetResult } from './fuzz-report';
import { DEFAULT_SETTINGS, schemathesisArgs, type SchemathesisReport } from './run-schemathesis';

const report = (overrides: Partial<SchemathesisReport> = {}): SchemathesisReport => ({
  schemathesis_version: '4.32.5',
  seed: 14,
  running_time: 12.5,
  complete: true,
  operations: { total: 3, selected: 3, tested: 3, errored: 0, skipped: 0 },
  phases: { examples: { status: 'success', skip_reason: null } },
  test_cases: { generated: 90, with_failures: 0, unique_failures: 0, errored: 0 },
  failures: [],
  errors: [],
  ...overrides,
});

const OUTPUT = [
  'Schemathesis v4.32.5',
  '=================================== FAILURES ===================================',
  '_______________________________ GET /api/cart _______________________________',
  '1. Test Case ID: abc',
  '- ST101 Server error',
  'Reproduce with:',
  '',
  '    curl -X GET -d \'{"sku": "generated"}\' http://gw/api/cart',
  '    st replay abc',
  '',
  '=================================== SUMMARY ====================================',
  'Failures: 1',
].join('\n');

describe('the fuzz report', () => {
  it('counts unique failures and errors, and a failed exit with nothing counted as one', () => {
    const clean: FuzzTargetResult = {
      name: 'public',
      document: 'd',
      outcome: { code: 0, output: '', report: report() },
    };
    expect(failureCount(clean)).toBe(0);
    const failed = {
      ...clean,
      outcome: {
        code: 1,
        output: OUTPUT,
        report: report({
          test_cases: { generated: 9, with_failures: 2, unique_failures: 2, errored: 0 },
          errors: [{}],
        }),
      },
    };
    expect(failureCount(failed)).toBe(3);
    expect(failureCount({ ...clean, outcome: { code: 1, output: '', report: report() } })).toBe(1);
    expect(failureCount({ ...clean, outcome: { missing: 'no document' } })).toBe(1);
  });

  it("quotes schemathesis' FAILURES section without the summary, and nothing for a clean run", () => {
    const details = failureDetails(OUTPUT);
    expect(details).toContain('GET /api/cart');
    expect(details).toContain('ST101 Server error');
    expect(details).not.toContain('SUMMARY');
    // Generated data stays out of the committed report.
    expect(details).not.toMatch(/curl|generated|st replay/);
    expect(failureDetails('Schemathesis v4.32.5\nall passed')).toBe('');
  });

  it('says how many operations, checks and failures in its first lines', () => {
    const text = formatFuzzReport({
      target: 'public',
      version: '4.32.5',
      settings: DEFAULT_SETTINGS,
      seconds: 20,
      results: [{ name: 'public', document: 'd', outcome: { code: 0, output: '', report: report() } }],
    });
    expect(text).toMatch(/\*\*3 operations, 14 checks, 0 failures\.\*\*/);
  });

  it('lists the operations schemathesis warned about, and says so when there were none', () => {
    const format = (warnings: Record<string, string[]>) =>
      formatFuzzReport({
        target: 'internal',
        version: '4.32.5',
        settings: DEFAULT_SETTINGS,
        seconds: 20,
        results: [
          { name: 'product', document: 'd', outcome: { code: 0, output: '', report: report({ warnings }) } },
        ],
      });

    expect(format({ rate_limited: [], missing_test_data: [] })).toContain('- Warnings: none');
    expect(
      format({ rate_limited: [], missing_test_data: ['POST /internal/reservations/{orderId}/commit'] }),
    ).toContain('- **Warnings:** missing_test_data (POST /internal/reservations/{orderId}/commit)');
  });

  it('runs every check and every phase with the seed and the bound', () => {
    const args = schemathesisArgs({
      document: 'http://gw/docs/openapi.json',
      baseUrl: 'http://gw',
      configFile: 'public.toml',
      reportDir: '/tmp/r',
      settings: { seed: 7, maxExamples: 5 },
    });
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    expect(value('--checks')).toBe('all');
    expect(value('--phases')).toBe('examples,coverage,fuzzing,stateful');
    expect(value('--seed')).toBe('7');
    expect(value('--max-examples')).toBe('5');
  });
});
