export { createGatewayApp, startGateway, type GatewayDeps, type StartGatewayOptions } from './app';
export { loadConfig, type GatewayConfig } from './config';
export { ROUTE_TABLE, UPSTREAM_NAMES, type RouteRule, type UpstreamName } from './domain/route-table';
