export * from './cloud-event';
export * from './outbox-writer';
export * from './outbox-relay';
export * from './event-consumer';
export * from './kafka';
export * from './paths';
export * from './inbox';
export * from './start-outbox-relay';
