/**
 * Native infrastructure (PostgreSQL, Redis, Kafka) for `npm run stack` and jest global setup;
 * `@surge/stack/native` for the other workspaces (the benches start and reach the same daemons).
 */
export {
  ensureInfra,
  stopInfra,
  stopRecordedInfra,
  infraStatus,
  provisionDatabase,
  devPassword,
} from './infra';
export type { Infra, InfraOptions, ComponentStatus } from './infra';
export { ensurePostgres, stopPostgres, defaultAdminUrl, PG_SUPERUSER, PG_DEV_PASSWORD } from './postgres';
export type { PostgresHandle } from './postgres';
export { ensureRedis, stopRedis } from './redis';
export type { RedisHandle } from './redis';
export { ensureKafka, stopKafka, describeCluster } from './kafka';
export type { KafkaHandle } from './kafka';
export { kafkaSmoke } from './kafka-smoke';
export type { EnsureOptions, BaseHandle, HandleSource } from './daemon';
export { InfraError, consoleLog, componentLog } from './log';
export type { Log } from './log';
export { surgePaths, cacheRoot, findRepoRoot, logFile, COMPONENTS, KAFKA_VERSION } from './paths';
export type { SurgePaths, Component } from './paths';
export { spawnDaemon, isAlive, stopGracefully } from './process';
export { isPortOpen, waitForPort, waitUntil } from './ports';
export { testPrincipalCredentials } from './kafka-security';
export type { KafkaCredentials } from './kafka-security';
export { redisServiceUrl } from './redis-acl';
export { readRunRecord } from './run-state';
export type { RunRecord } from './run-state';
export { ensureLocust } from './locust-venv';
export type { LocustInstall } from './locust-venv';
export { aptInstall } from './apt';
export { which } from './exec';
