export * from './currencies';
export * from './cursor';
export * from './events';
