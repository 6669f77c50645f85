import type { z } from 'zod';
import { DependencyError, UpstreamContractError } from '@surge/errors';
import type { RouteContract } from './route-contract';

type ServerError = 500 | 501 | 502 | 503 | 504;
type Responses<R extends RouteContract> = R['responses'];

/** What a route may answer below 500, as a union a client can switch on by status. */
export type RouteAnswer<R extends RouteContract> = {
  [S in keyof Responses<R> & number]: S extends ServerError
    ? never
    : { status: S; body: z.output<Responses<R>[S]['body']> };
}[keyof Responses<R> & number];

/** The body a server (or a test stub) sends with status S: what the schema takes in. */
export type RouteAnswerBody<R extends RouteContract, S extends keyof Responses<R> & number> = z.input<
  Responses<R>[S]['body']
>;

/**
 * A neighbour's answer, checked against the route's contract: the status must be one the
 * route declares and the body must parse with that status's schema. Anything else is an
 * UpstreamContractError (UPSTREAM_CONTRACT_VIOLATION), never a cast: a client acts only
 * on answers it has read. A 5xx is a DependencyError whatever its body (a proxy in
 * between may answer it): the call failed and its outcome is unknown.
 *
 * Both are DependencyErrors, so every caller treats a broken answer as it treats a
 * timeout: see each client for what that protects.
 */
export function readAnswer<R extends RouteContract>(
  upstream: string,
  route: R,
  answer: { status: number; body: unknown },
): RouteAnswer<R> {
  const what = `${upstream} ${route.method.toUpperCase()} ${route.path}`;
  if (answer.status >= 500) {
    throw new DependencyError(upstream, `${what} answered ${answer.status}`, {
      timeout: answer.status === 504,
    });
  }
  const declared = (route.responses as Record<number, { body: z.ZodType } | undefined>)[answer.status];
  if (!declared) {
    throw new UpstreamContractError(
      upstream,
      `${what} answered ${answer.status}, which its contract does not allow`,
    );
  }
  const parsed = declared.body.safeParse(answer.body);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new UpstreamContractError(
      upstream,
      `${what} answered ${answer.status} with a body outside its contract (${where})`,
      { cause: parsed.error },
    );
  }
  return { status: answer.status, body: parsed.data } as RouteAnswer<R>;
}

/**
 * The body a test stub sends, checked against the contract first: a stub that drifts
 * from the real service throws here, in the test, instead of teaching a client a shape
 * the service never answers.
 */
export function stubAnswer<R extends RouteContract, S extends keyof Responses<R> & number>(
  route: R,
  status: S,
  body: RouteAnswerBody<R, S>,
): { status: S; body: RouteAnswerBody<R, S> } {
  const declared = (route.responses as Record<number, { body: z.ZodType } | undefined>)[status];
  if (!declared) throw new Error(`stub: ${route.operationId} does not answer ${status}`);
  const parsed = declared.body.safeParse(body);
  if (!parsed.success)
    throw new Error(`stub: ${route.operationId} ${status} breaks its contract: ${parsed.error.message}`);
  return { status, body };
}
