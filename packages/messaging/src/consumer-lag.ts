/** A partition's committed offset for a group; kafkajs reports `-1` when none was committed. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: string;
}

/** A partition's offsets on the broker: `low` the first kept message, `high` the next to be written. */
export interface PartitionWatermarks {
  topic: string;
  partition: number;
  low: string;
  high: string;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Messages written that the group has not committed yet. */
  lag: number;
}

/**
 * Where a group with no usable commit starts: `earliest` (our consumers subscribe
 * `fromBeginning`) makes every kept message lag; `latest` makes none.
 */
export type StartPosition = 'earliest' | 'latest';

/**
 * The lag of a group on every partition the broker reports: high watermark minus the
 * committed offset (the next message the group will read). A partition with no commit,
 * or a commit older than the first kept message (retention deleted the rest), counts
 * from where the consumer would actually resume. Never negative: a commit can be read a
 * moment after a newer high watermark, not the other way round, but a partition that was
 * recreated can report a commit beyond its new end.
 */
export function computeConsumerLag(
  committed: readonly CommittedOffset[],
  watermarks: readonly PartitionWatermarks[],
  start: StartPosition = 'earliest',
): PartitionLag[] {
  const commits = new Map(committed.map((entry) => [`${entry.topic}/${entry.partition}`, entry.offset]));
  return watermarks.map(({ topic, partition, low, high }) => {
    const highOffset = Number(high);
    const lowOffset = Number(low);
    const raw = commits.get(`${topic}/${partition}`);
    const commit = raw === undefined ? -1 : Number(raw);
    let position: number;
    if (commit < 0 || Number.isNaN(commit)) position = start === 'earliest' ? lowOffset : highOffset;
    else position = Math.max(commit, lowOffset);
    return { topic, partition, lag: Math.max(0, highOffset - position) };
  });
}
