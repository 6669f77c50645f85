export * from './parse-config';
export * from './env-schemas';
export * from './upstream-breaker-env';
export * from './kafka-sasl-env';
export * from './service-client-env';
