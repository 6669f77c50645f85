export * from './service-kit';
export { migrateServiceDatabase } from './migrate-service-database';
export { runMain, type ServiceDefinition } from './run-main';
export { StopList, type Release } from './stop-list';
