import type { RequestHandler } from 'express';
import { expressServerClasses, type HttpApp } from '@surge/http-kit';
import { proxyListener } from './proxy-listener';

/** What mountGatewayRoutes returns: the steps the public listener runs outside express. */
export interface MountedProxy {
  cors: RequestHandler;
  proxy: RequestHandler[];
}

/**
 * The gateway's public listener over the finished express app (the runtime's
 * `publicListener` step): API routes run the proxy chain straight from node:http
 * (proxy-listener.ts), everything else goes to express. Built once at start.
 */
export function gatewayListener(
  http: HttpApp,
  mounted: MountedProxy | undefined,
): Pick<HttpApp, 'listener' | 'serverOptions'> {
  const serverOptions = expressServerClasses(http.app);
  // Development fault injection is a step of express's chain: with it on, every request
  // takes that chain, so an injected fault reaches proxied routes as before.
  if (!mounted || http.faultsInjected) return { serverOptions };
  const listener = proxyListener({
    app: http.app,
    chain: [http.basics, mounted.cors, ...mounted.proxy],
    errorHandler: http.errorHandler,
  });
  return { listener, serverOptions };
}
