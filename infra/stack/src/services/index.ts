/** `@surge/stack/services`: what the stack's supervisor records of each running service instance. */
export { readServiceRecords, serviceOf } from './service-records';
export type { ServiceRecord } from './service-records';
