export { gatewayService, startGateway, SERVICE_NAME, type StartGatewayOptions } from './service';
export { loadConfig, type GatewayConfig } from './config';
export { ROUTE_TABLE, UPSTREAM_NAMES, type RouteRule, type UpstreamName } from './domain/route-table';
