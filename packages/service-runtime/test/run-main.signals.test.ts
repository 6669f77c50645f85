import { spawn } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const fixture = path.join(__dirname, 'fixtures', 'never-started-service.ts');

describe('runMain while a service is starting', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('on %s, exits with %i and writes the lines its logger held', async (signal, code) => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), fixture], {
      cwd: repoRoot,
      env: { ...process.env, TSX_TSCONFIG_PATH: path.join(repoRoot, 'tsconfig.test.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) =>
      child.once('close', (exitCode) => resolve(exitCode)),
    );
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').includes('starting')) resolve();
      }),
    );

    child.kill(signal);

    expect(await exited).toBe(code);
    const lines = stdout
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', service: 'never-started', msg: 'migrating' }),
      expect.objectContaining({ level: 'warn', signal, msg: 'stopped while starting' }),
    ]);
  });
});

describe('runMain when the exit a signal asked for is deferred (spans exported first)', () => {
  it('does not serve a start that ended meanwhile: it stops it, and the process still exits with 143', async () => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('tsx/cjs'),
        path.join(__dirname, 'fixtures', 'start-ends-after-signal-service.ts'),
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, TSX_TSCONFIG_PATH: path.join(repoRoot, 'tsconfig.test.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) =>
      child.once('close', (exitCode) => resolve(exitCode)),
    );
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        if (stderr.includes('starting')) resolve();
      }),
    );

    child.kill('SIGTERM');

    expect(await exited).toBe(143);
    expect(stderr).toContain('stopped');
    const messages = stdout
      .trim()
      .split('\n')
      .map((text) => (JSON.parse(text) as { msg: string }).msg);
    expect(messages).toEqual(['migrating', 'stopped while starting']);
  });
});
