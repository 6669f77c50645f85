export * from './currencies';
export * from './cursor';
export * from './dead-letters';
export * from './events';
export * from './idempotency';
export * from './kafka-access';
export * from './public';
