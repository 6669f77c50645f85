import { LineBatch } from './log-destination';

function recordingBatch(batchBytes: number) {
  const writes: string[] = [];
  // Copied at once: the batch reuses its buffer after `output` returns.
  const batch = new LineBatch(batchBytes, (bytes) => writes.push(bytes.toString('utf8')));
  return { batch, writes };
}

describe('a batch of log lines', () => {
  it('holds lines until about the batch size waits, then writes them at once, in order', () => {
    const { batch, writes } = recordingBatch(30);

    batch.write('{"n":1}\n');
    batch.write('{"n":2}\n');
    batch.write('{"n":3}\n');
    expect(writes).toEqual([]);

    batch.write('{"n":4}\n');
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n']);
  });

  it('on flush writes what waits, once, and calls back', () => {
    const { batch, writes } = recordingBatch(4_096);
    const flushed = jest.fn();

    batch.write('{"n":1}\n');
    batch.flush(flushed);
    batch.flush();

    expect(writes).toEqual(['{"n":1}\n']);
    expect(flushed).toHaveBeenCalledTimes(1);
  });

  it('keeps text beyond ASCII whole, and writes a line larger than its buffer on its own, in order', () => {
    const { batch, writes } = recordingBatch(64);
    const huge = `{"msg":"${'é€😀'.repeat(10_000)}"}\n`;

    batch.write('{"msg":"déjà vu €"}\n');
    batch.write(huge);
    batch.write('{"n":2}\n');
    batch.flush();

    expect(writes).toEqual(['{"msg":"déjà vu €"}\n', huge, '{"n":2}\n']);
  });
});
