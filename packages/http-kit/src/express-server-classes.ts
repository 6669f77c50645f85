import { IncomingMessage, ServerResponse, type ServerOptions } from 'node:http';
import type { Express } from 'express';

/**
 * The public server's request and response classes: node:http's own, with express's
 * request and response helpers as their prototypes from the start. express sets those
 * prototypes on every request it handles (Object.setPrototypeOf in app.handle, which
 * changes the object's hidden class mid-life: its self time was 1.5 % of the gateway's
 * proxied read and about as much of the product service's cached read); on objects born
 * with them, express's own call finds them in place and changes nothing.
 */
export function expressServerClasses(app: Express): ServerOptions {
  function ExpressRequest(this: IncomingMessage, socket: unknown): void {
    (IncomingMessage as unknown as (this: IncomingMessage, socket: unknown) => void).call(this, socket);
  }
  ExpressRequest.prototype = app.request;
  function ExpressResponse(this: ServerResponse, req: IncomingMessage, options: unknown): void {
    (ServerResponse as unknown as (this: ServerResponse, ...args: unknown[]) => void).call(
      this,
      req,
      options,
    );
  }
  ExpressResponse.prototype = app.response;
  return {
    IncomingMessage: ExpressRequest as unknown as typeof IncomingMessage,
    ServerResponse: ExpressResponse as unknown as typeof ServerResponse,
  };
}
