import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stubAnswer, type RouteAnswerBody, type RouteContract } from '@surge/contracts';
import type { ErrorCode } from '@surge/errors';

/**
 * Stand-ins for other Surge services, speaking their internal API as the contract has it
 * (packages/contracts/src/internal). Answers are built with the contract's stubAnswer,
 * which checks each against the route's schema for its status, and requests are read with
 * the route's own schema: a stub that drifts from the real service fails the test instead
 * of teaching a client a shape the service never answers. An answer outside the contract
 * is always deliberate and says so (AnswerStub.breakContract).
 */

export interface StubAnswer {
  status: number;
  body: unknown;
}

export interface StartedStub {
  url: string;
  /** Stops listening and drops open connections (a hung call must not keep a test alive). */
  close(): Promise<void>;
}

/** A request's JSON body; undefined when it has none. */
export async function readStubBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** The route's request body as its contract reads it: a client sending another shape is a bug. */
export function stubRequest<R extends RouteContract & { body: NonNullable<RouteContract['body']> }>(
  route: R,
  body: unknown,
) {
  return route.body.parse(body) as ReturnType<R['body']['parse']>;
}

/** Sends an answer as http-kit does: JSON, and problem+json for an error status. */
export function sendStubAnswer(res: ServerResponse, answer: StubAnswer): void {
  const type = answer.status >= 400 ? 'application/problem+json' : 'application/json';
  res.writeHead(answer.status, { 'content-type': type }).end(JSON.stringify(answer.body));
}

/** A problem document as http-kit writes one (RFC 9457 with Surge's stable `code`). */
export function stubProblem<const C extends ErrorCode, E extends Record<string, unknown>>(
  status: number,
  code: C,
  extensions?: E,
) {
  return {
    type: `/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: 'Stub',
    status,
    detail: `stub: ${code}`,
    code,
    ...(extensions ?? ({} as E)),
  };
}

/**
 * A stub HTTP server on 127.0.0.1, port 0. A failure of the handler (a drifted answer, a
 * request its route refuses) answers 500 and is thrown again outside the request, where
 * jest fails the running test with it, rather than being lost in a 500 the client may
 * well retry past.
 */
export async function startStubServer(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void,
): Promise<StartedStub> {
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end();
        setImmediate(() => {
          throw error;
        });
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface StubRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A stub that answers every request with what the test last set, and records the requests. */
export interface AnswerStub extends StartedStub {
  /** Every request that reached the stub, in order, its body parsed as JSON. */
  requests: StubRequest[];
  /** From now on answers `body` with `status`, checked against the route's contract first. */
  answer<R extends RouteContract, S extends keyof R['responses'] & number>(
    route: R,
    status: S,
    body: RouteAnswerBody<R, S>,
  ): void;
  /** From now on answers outside any contract, on purpose: what a test of a client's reading sends. */
  breakContract(status: number, body: unknown): void;
}

export async function startAnswerStub(): Promise<AnswerStub> {
  let next: StubAnswer = { status: 500, body: stubProblem(500, 'INTERNAL') };
  const requests: StubRequest[] = [];
  const started = await startStubServer(async (req, res) => {
    const body = await readStubBody(req);
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    sendStubAnswer(res, next);
  });
  return {
    ...started,
    requests,
    answer(route, status, body) {
      next = stubAnswer(route, status, body);
    },
    breakContract(status, body) {
      next = { status, body };
    },
  };
}
