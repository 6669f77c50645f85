export * from './create-logger';
export * from './request-context';
export { redactPaths } from './redaction';
