export * from './pool';
export * from './migrate';
export * from './errors';
export type { Pool, PoolClient } from 'pg';
export * from './pool-metrics';
