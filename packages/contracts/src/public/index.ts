/** The public API's contract: the schemas the services validate with and the document made from them. */
export * from './admin';
export * from './answer-check';
export * from './cart';
export * from './common';
export * from './notifications';
export * from './operations';
export * from './orders';
export * from './payments';
export * from './products';
export * from './routes';
export * from './users';
export { buildPublicOpenApi } from './openapi/build-document';
