import { spawn } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const fixture = path.join(__dirname, 'fixtures', 'batched-writer.ts');

interface Run {
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  kill(): void;
}

/** The fixture in its own process (tsx, on sources), its stdout parsed line by line. */
function runWriter(...args: string[]): Run {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), fixture, ...args], {
    cwd: repoRoot,
    env: { ...process.env, TSX_TSCONFIG_PATH: path.join(repoRoot, 'tsconfig.test.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const text of complete) if (text) lines.push(JSON.parse(text) as Record<string, unknown>);
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { lines, exited, kill: () => child.kill('SIGKILL') };
}

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 600; tries += 1) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never saw ${what}`);
}

describe('a logger writing stdout in batches', () => {
  it('writes a quiet process line on the timer, with its level, service and trace id unchanged', async () => {
    const run = runWriter('quiet', '50');
    try {
      await waitFor(() => run.lines.length > 0, 'the first line');
      expect(run.lines[0]).toMatchObject({
        level: 'info',
        service: 'batched-writer',
        requestId: 'req-batched',
        trace_id: '0af7651916cd43dd8448eb211c80319c',
        mode: 'quiet',
        msg: 'first line',
      });
    } finally {
      run.kill();
      await run.exited;
    }
  });

  it('when the process exits at once, writes every waiting line before it goes', async () => {
    // A flush interval of a minute: only the exit can have written them.
    const run = runWriter('exit', '60000');
    expect(await run.exited).toBe(3);
    expect(run.lines).toHaveLength(101);
    expect(run.lines.at(-1)).toMatchObject({ msg: 'burst line', index: 99 });
  });

  it('when the process crashes, its last line is not lost', async () => {
    const run = runWriter('crash', '60000');
    expect(await run.exited).toBe(1);
    expect(run.lines.map((line) => line.msg)).toEqual(['first line', 'about to crash']);
    expect(run.lines[1]).toMatchObject({ level: 'fatal' });
  });
});
