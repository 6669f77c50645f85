export * from './create-app';
export * from './start-server';
export * from './problem-details';
export * from './validate';
export * from './auth-middleware';
export * from './health';
export { abortSignalOf, deadline } from './deadline';
export { createMetricsRegistry, routeLabel } from './http-metrics';
