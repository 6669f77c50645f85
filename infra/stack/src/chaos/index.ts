/**
 * `@surge/stack/chaos`: a whole stack started as `npm start` starts it, a shop with
 * customers, and their traffic, for the benches that measure a running stack.
 */
export { gatewayAnswers, gatewayUrl, ONE_CLIENT_ADDRESS_LIMITS, startStack } from './stack-process';
export type { StackProcess } from './stack-process';
export { prepareShop } from './prepare-shop';
export { runTraffic } from './traffic';
export type { Customer, RequestKind, Sample } from './traffic';
/** `npm run stack -- scale` for a bench that measures more instances of a service. */
export { scale } from '../commands/scale';
export { waitForHealthyInstances } from './scenarios';
