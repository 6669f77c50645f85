export * from './create-logger';
export * from './request-context';
export { redactSecrets } from './redaction';
