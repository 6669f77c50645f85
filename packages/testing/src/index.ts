export * from './test-keys';
export * from './test-infra';
