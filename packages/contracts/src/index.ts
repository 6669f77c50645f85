export * from './currencies';
export * from './cursor';
export * from './events';
export * from './kafka-access';
