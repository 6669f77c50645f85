export * from './test-keys';
export * from './test-infra';
export * from './call-json';
export * from './tampered-cursors';
export * from './eventually';
export * from './test-kafka';
export * from './test-service';
export * from './stub-server';
