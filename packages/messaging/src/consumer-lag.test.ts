import { computeConsumerLag } from './consumer-lag';

const marks = (topic: string, partition: number, low: number, high: number) => ({
  topic,
  partition,
  low: String(low),
  high: String(high),
});
const commit = (topic: string, partition: number, offset: number) => ({
  topic,
  partition,
  offset: String(offset),
});

describe('computeConsumerLag', () => {
  it('is the high watermark minus the committed offset, per topic and partition', () => {
    const lag = computeConsumerLag(
      [commit('orders', 0, 40), commit('orders', 1, 7), commit('payments', 0, 3)],
      [marks('orders', 0, 0, 42), marks('orders', 1, 0, 7), marks('payments', 0, 0, 10)],
    );
    expect(lag).toEqual([
      { topic: 'orders', partition: 0, lag: 2 },
      { topic: 'orders', partition: 1, lag: 0 },
      { topic: 'payments', partition: 0, lag: 7 },
    ]);
  });

  it('counts every kept message of a partition the group never committed, when it starts at the earliest', () => {
    const lag = computeConsumerLag(
      [commit('orders', 0, -1)],
      [marks('orders', 0, 5, 12), marks('orders', 1, 0, 3)],
    );
    expect(lag).toEqual([
      { topic: 'orders', partition: 0, lag: 7 },
      { topic: 'orders', partition: 1, lag: 3 },
    ]);
  });

  it('counts nothing for an uncommitted partition when the group starts at the latest', () => {
    expect(computeConsumerLag([], [marks('orders', 0, 5, 12)], 'latest')).toEqual([
      { topic: 'orders', partition: 0, lag: 0 },
    ]);
  });

  it('counts from the first kept message when retention deleted past the commit', () => {
    expect(computeConsumerLag([commit('orders', 0, 3)], [marks('orders', 0, 10, 15)])).toEqual([
      { topic: 'orders', partition: 0, lag: 5 },
    ]);
  });

  it('is never negative, even for a commit beyond a recreated partition end', () => {
    expect(computeConsumerLag([commit('orders', 0, 50)], [marks('orders', 0, 0, 4)])).toEqual([
      { topic: 'orders', partition: 0, lag: 0 },
    ]);
  });

  it('is empty for a topic the broker reports no partitions of', () => {
    expect(computeConsumerLag([commit('orders', 0, 1)], [])).toEqual([]);
  });
});
