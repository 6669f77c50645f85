export * from './create-logger';
export * from './request-context';
export { redactSecrets } from './redaction';
export { MAX_LOG_BATCH_BYTES, type LogBatching } from './log-destination';
