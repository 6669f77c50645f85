/**
 * `@surge/stack/load`: the Locust runs, their request points, SLO verdicts and report
 * sections, for the benches that drive the whole stack with the load generator.
 */
export { describeExit, describeGenerator, generatorCpu, startLocust } from './run-locust';
export type { LocustRun, LocustOptions, LocustFiles } from './run-locust';
export { readRunPoints, measure, measureByFlow, percentile, checkArrivals } from './request-points';
export type { RequestPoint, RunPoints, Bucket, ArrivalCheck } from './request-points';
export { FLOWS, judgeSlos, readSloTable } from './slo';
export type { Flow, Slo, SloTable, SloVerdict, FlowMeasure } from './slo';
export { auditSection, sloTable, machine } from './report';
export { audit, loadSlos, startScenario } from './load-context';
export type { LoadContext, LocustOutcome } from './load-context';
export { nextRate, highestPassing } from './rate-search';
export type { RateStep, SearchOptions } from './rate-search';
export type { AuditReport, InvariantResult } from '../audit/audit-types';
