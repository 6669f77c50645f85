import { createLogger } from '@surge/logger';
import { OffsetCommitter } from './offset-committer';

type Offsets = { topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }> };

/** What kafkajs's batch payload would commit: the offsets resolved and not yet committed. */
function fakePayload() {
  const resolved = new Map<number, string>();
  const committed = new Map<number, string>();
  const requests: Offsets[] = [];
  let release: (() => void) | undefined;
  let failNext = false;
  const payload = {
    uncommittedOffsets: () => ({
      topics: [
        {
          topic: 't',
          partitions: [...resolved]
            .filter(([partition, offset]) => committed.get(partition) !== offset)
            .map(([partition, offset]) => ({ partition, offset })),
        },
      ].filter((topic) => topic.partitions.length > 0),
    }),
    commitOffsetsIfNecessary: async (offsets?: Offsets) => {
      requests.push(offsets!);
      // Held until released, like a request on the wire.
      await new Promise<void>((resolve) => (release = resolve));
      if (failNext) {
        failNext = false;
        throw new Error('coordinator moved');
      }
      for (const { partitions } of offsets!.topics)
        for (const { partition, offset } of partitions) committed.set(partition, offset);
    },
  };
  return {
    payload,
    resolved,
    committed,
    requests,
    release: () => release?.(),
    failNextCommit: () => (failNext = true),
  };
}

const logger = createLogger({ service: 'test', level: 'silent' });
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('OffsetCommitter', () => {
  it('sends one request at a time, and the next one covers everything resolved meanwhile', async () => {
    const fake = fakePayload();
    const committer = new OffsetCommitter(logger);
    fake.resolved.set(0, '10');
    committer.request(fake.payload);
    fake.resolved.set(1, '20');
    committer.request(fake.payload);
    fake.resolved.set(0, '11');
    committer.request(fake.payload);
    await tick();
    expect(fake.requests).toHaveLength(1);
    fake.release();
    await tick();
    await tick();
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.topics[0]!.partitions).toEqual([
      { partition: 0, offset: '11' },
      { partition: 1, offset: '20' },
    ]);
    fake.release();
    await committer.flush();
    expect(Object.fromEntries(fake.committed)).toEqual({ 0: '11', 1: '20' });
  });

  it('when a commit fails, flush commits the offsets again instead of losing them', async () => {
    const fake = fakePayload();
    const committer = new OffsetCommitter(logger);
    fake.resolved.set(3, '7');
    fake.failNextCommit();
    committer.request(fake.payload);
    await tick();
    fake.release();
    const flushed = committer.flush();
    await tick();
    await tick();
    fake.release();
    await flushed;
    expect(fake.committed.get(3)).toBe('7');
    expect(fake.requests).toHaveLength(2);
  });

  it('sends nothing when nothing new was resolved', async () => {
    const fake = fakePayload();
    const committer = new OffsetCommitter(logger);
    committer.request(fake.payload);
    await committer.flush();
    expect(fake.requests).toHaveLength(0);
  });

  it('with a spacing, what is resolved after a commit waits for the spacing and goes in one request', async () => {
    const fake = fakePayload();
    const committer = new OffsetCommitter(logger, 60_000);
    fake.resolved.set(0, '1');
    committer.request(fake.payload);
    await tick();
    fake.release();
    await tick();
    expect(fake.requests).toHaveLength(1);
    fake.resolved.set(0, '2');
    committer.request(fake.payload);
    fake.resolved.set(1, '5');
    committer.request(fake.payload);
    await tick();
    await tick();
    // Within the spacing: nothing sent yet, nothing lost either.
    expect(fake.requests).toHaveLength(1);
    expect(fake.payload.uncommittedOffsets().topics[0]!.partitions).toHaveLength(2);
    // Leaving (flush) does not wait for the spacing.
    const flushed = committer.flush();
    await tick();
    await tick();
    fake.release();
    await flushed;
    expect(fake.requests).toHaveLength(2);
    expect(Object.fromEntries(fake.committed)).toEqual({ 0: '2', 1: '5' });
  });
});
