import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
/** The register's source: tests run on sources (tsx), like jest, so nothing needs building. */
export const registerSource = path.join(repoRoot, 'packages', 'telemetry', 'src', 'register.ts');

export interface TracedProcess {
  /** Its 'listening' line's url. */
  url: string;
  /** Every JSON line it wrote to stdout (its pino logs). */
  lines: Array<Record<string, unknown>>;
  /** SIGTERM, then resolves with the exit code once it has flushed and exited. */
  stop(): Promise<number | null>;
}

/**
 * A real separate process under `--require <register>`: instrumentation patches modules
 * as they load, so only a process started this way shows what a service exports.
 * `@surge/*` resolve to sources through tsconfig.test.json's paths.
 */
export function nodeWithRegister(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), '--require', registerSource, ...args],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: path.join(repoRoot, 'tsconfig.test.json'),
        // Export within a tenth of a second, so tests do not wait for the 5 s default batch.
        OTEL_BSP_SCHEDULE_DELAY: '100',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

export async function startTracedProcess(
  script: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<TracedProcess> {
  const child = nodeWithRegister([script], env);
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} did not listen in time:\n${stderr}`)),
      timeoutMs,
    );
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const line = parseJson(text);
      if (!line) return;
      lines.push(line);
      if (line.msg === 'listening' && typeof line.url === 'string') {
        clearTimeout(timer);
        resolve(line.url);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before listening:\n${stderr}`));
    });
  });
  return {
    url,
    lines,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
