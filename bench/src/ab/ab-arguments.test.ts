import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AbArguments, AbUsageError, parseBuild, runAbTool } from './ab-arguments';

/** A folder that looks like a built repository (what parseBuild checks). */
function builtRepository(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ab-build-'));
  fs.mkdirSync(path.join(root, 'services/gateway/dist'), { recursive: true });
  fs.writeFileSync(path.join(root, 'services/gateway/dist/main.js'), '');
  return root;
}

describe('the A/B command line', () => {
  const root = builtRepository();
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads builds with their own settings, and `--variant` as `--build`', () => {
    const args = AbArguments.parse(
      ['--build', `before=${root}`, '--variant', `after=${root}:LOG_BATCH_BYTES=0,A=b=c`],
      [],
    );

    expect(args.builds(2)).toEqual([
      { label: 'before', root, env: {} },
      { label: 'after', root, env: { LOG_BATCH_BYTES: '0', A: 'b=c' } },
    ]);
  });

  it('gives numbers, choices and paths, with defaults when absent', () => {
    const args = AbArguments.parse(
      ['--rounds', '3', '--callers', 'gateway', '--profile', 'p'],
      ['rounds', 'seconds', 'callers', 'profile'],
    );

    expect(args.number('rounds', 6)).toBe(3);
    expect(args.number('seconds', 5)).toBe(5);
    expect(args.choice('callers', ['direct', 'gateway'], 'direct')).toBe('gateway');
    expect(args.path('profile')).toBe(path.resolve('p'));
  });

  it.each([
    [['--rouds', '3'], /unknown argument --rouds/],
    [['--rounds'], /--rounds wants a value/],
    [['--rounds', '--seconds'], /--rounds wants a value/],
  ])('refuses %j', (argv, message) => {
    expect(() => AbArguments.parse(argv, ['rounds', 'seconds'])).toThrow(message);
  });

  it('refuses numbers that would run nothing, and words it does not know', () => {
    const parse = (argv: string[]) => AbArguments.parse(argv, ['rounds', 'callers']);

    expect(() => parse(['--rounds', 'x']).number('rounds', 6)).toThrow(/positive number, not x/);
    expect(() => parse(['--rounds', '0']).number('rounds', 6)).toThrow(AbUsageError);
    expect(() => parse(['--callers', 'all']).choice('callers', ['direct', 'gateway'], 'direct')).toThrow(
      /one of direct, gateway/,
    );
  });

  it('wants enough builds, each labelled once and built', () => {
    expect(() => AbArguments.parse(['--build', `a=${root}`], []).builds(2)).toThrow(/at least 2 --build/);
    expect(() => AbArguments.parse(['--build', `a=${root}`, '--build', `a=${root}`], []).builds(2)).toThrow(
      /label of its own/,
    );
    expect(() => parseBuild(`a=${os.tmpdir()}`)).toThrow(/not a built repository/);
    expect(() => parseBuild(root)).toThrow(/want label=/);
  });

  it('prints what is wrong and the usage, exits 2 and runs nothing, for a refused line', async () => {
    const written: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const run = jest.fn(async () => undefined);
    try {
      await runAbTool('tool --build <label>=<path>', () => AbArguments.parse(['--nope', '1'], []), run);
    } finally {
      write.mockRestore();
    }

    expect(run).not.toHaveBeenCalled();
    expect(process.exitCode).toBe(2);
    expect(written.join('')).toBe('unknown argument --nope\nusage: tool --build <label>=<path>\n');
    process.exitCode = 0;
  });
});
