export * from './cloud-event';
export * from './outbox-writer';
export * from './outbox-rows';
export * from './outbox-relay';
export * from './event-consumer';
export * from './kafka';
export * from './paths';
export * from './inbox';
export * from './inbox-batch';
export * from './start-outbox-relay';
export * from './outbox-metrics';
export { computeConsumerLag } from './consumer-lag';
export type { CommittedOffset, PartitionLag, PartitionWatermarks, StartPosition } from './consumer-lag';
export * from './consumer-lag-metrics';
export * from './dead-letter-metrics';
export {
  DLQ_SUFFIX,
  listDeadLetters,
  replayDeadLetters,
  sourceTopicOf,
  type DeadLetterListing,
  type DeadLetterQuery,
  type ReplayOutcome,
  type ReplaySelection,
} from './dead-letters';
export * from './dead-letter-admin';
export type { DeadLetter } from '@surge/contracts';
