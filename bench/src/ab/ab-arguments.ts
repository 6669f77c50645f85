import fs from 'node:fs';
import path from 'node:path';

/** One build under test: a built repository, and the settings it runs with. */
export interface AbBuild {
  label: string;
  root: string;
  /** Settings given to this build only (after the colon of `label=/path:KEY=VALUE,...`). */
  env: Record<string, string>;
}

/** A command line the A/B tools refuse: the message says what, the tool prints its usage. */
export class AbUsageError extends Error {}

/**
 * The A/B tools' command line, parsed once for all three: `--flag value` pairs, every
 * flag known to the tool, each build `--build label=/path[:KEY=VALUE,...]`. Numbers must
 * be positive (a mistyped `--rounds x` used to run NaN rounds, which is none).
 */
export class AbArguments {
  private constructor(private readonly values: Map<string, string[]>) {}

  /** `known` without dashes; `build` is always known (`variant` is its older name). */
  static parse(argv: string[], known: readonly string[]): AbArguments {
    const allowed = new Set([...known, 'build', 'variant']);
    const values = new Map<string, string[]>();
    for (let i = 0; i < argv.length; i += 2) {
      const flag = argv[i] ?? '';
      const value = argv[i + 1];
      const name = flag.startsWith('--') ? flag.slice(2) : '';
      if (!allowed.has(name)) throw new AbUsageError(`unknown argument ${flag}`);
      if (value === undefined || value.startsWith('--')) throw new AbUsageError(`${flag} wants a value`);
      const key = name === 'variant' ? 'build' : name;
      values.set(key, [...(values.get(key) ?? []), value]);
    }
    return new AbArguments(values);
  }

  /** The builds, at least `min` of them, each a repository with its services built. */
  builds(min: number): AbBuild[] {
    const builds = (this.values.get('build') ?? []).map(parseBuild);
    if (builds.length < min)
      throw new AbUsageError(`give at least ${min} --build label=<a built repository>[:KEY=VALUE,...]`);
    const labels = new Set(builds.map((build) => build.label));
    if (labels.size < builds.length) throw new AbUsageError('give each --build a label of its own');
    return builds;
  }

  number(name: string, fallback: number): number {
    const raw = this.last(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new AbUsageError(`--${name} wants a positive number, not ${raw}`);
    return value;
  }

  choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.last(name);
    if (raw === undefined) return fallback;
    const found = allowed.find((option) => option === raw);
    if (!found) throw new AbUsageError(`--${name} wants one of ${allowed.join(', ')}, not ${raw}`);
    return found;
  }

  /** A path, resolved against the working directory. */
  path(name: string): string | undefined {
    const raw = this.last(name);
    return raw === undefined ? undefined : path.resolve(raw);
  }

  text(name: string): string | undefined {
    return this.last(name);
  }

  private last(name: string): string | undefined {
    return this.values.get(name)?.at(-1);
  }
}

/** `label=/path`, and after a colon the build's own settings: `label=/path:KEY=VALUE,...`. */
export function parseBuild(value: string): AbBuild {
  const [label = '', rest = ''] = value.split(/=(.*)/s);
  const [root = '', settings = ''] = rest.split(/:(.*)/s);
  const env: Record<string, string> = {};
  for (const pair of settings.split(',').filter(Boolean)) {
    const [key = '', setting = ''] = pair.split(/=(.*)/s);
    if (!key) throw new AbUsageError(`--build ${value}: a setting without a name`);
    env[key] = setting;
  }
  const resolved = path.resolve(root);
  if (!label || !root)
    throw new AbUsageError(`--build ${value}: want label=<a built repository>[:KEY=VALUE,...]`);
  if (!fs.existsSync(path.join(resolved, 'services/gateway/dist/main.js')))
    throw new AbUsageError(
      `--build ${value}: ${resolved} is not a built repository (run npm run build there)`,
    );
  return { label, root: resolved, env };
}

/**
 * Parses the command line with `parse` and runs the tool; a refused command line prints
 * what is wrong and the usage, and exits 2 without starting anything.
 */
export async function runAbTool<T>(
  usage: string,
  parse: () => T,
  run: (options: T) => Promise<void>,
): Promise<void> {
  let options: T;
  try {
    options = parse();
  } catch (error) {
    if (!(error instanceof AbUsageError)) throw error;
    process.stderr.write(`${error.message}\nusage: ${usage}\n`);
    process.exitCode = 2;
    return;
  }
  await run(options);
}
