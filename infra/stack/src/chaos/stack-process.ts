import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

export function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface StackProcess {
  child: ChildProcess;
  output: string[];
  /** SIGINT, as Ctrl-C sends it; resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

/** `pnpm stack up` in a child process, resolved once it prints that Surge is up. */
export async function startStack(env: Record<string, string>, timeoutMs = 240_000): Promise<StackProcess> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'infra/stack/src/cli.ts', 'up'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`stack not up within ${timeoutMs} ms:\n${output.join('').slice(-5000)}`)),
      timeoutMs,
    );
    const poll = setInterval(() => {
      if (/Surge is up/.test(output.join(''))) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`stack exited with ${code} during start:\n${output.join('').slice(-5000)}`));
    });
  });
  return {
    child,
    output,
    interrupt: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGINT');
      }),
  };
}
