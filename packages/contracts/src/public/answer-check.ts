import { errorsOf, PUBLIC_ROUTES, type PublicRoute } from './routes';
import { problem } from './common';

/**
 * What is wrong with an answer by the public contract, or nothing: the status must be one
 * the operation documents, a success body must parse with its answer schema, an error
 * must be a problem document whose `code` is one listed for that status. Component tests
 * run real answers through it, so a service that answers what the document does not say
 * fails its own tests, not an outside fuzzer.
 */
export function contractViolations(operationId: string, status: number, body: unknown): string[] {
  const route = routeOf(operationId);
  const answer = route.answers[status];
  if (answer) {
    if (!answer.schema) return [];
    const parsed = answer.schema.safeParse(body);
    return parsed.success ? [] : parsed.error.issues.map((issue) => describe(operationId, status, issue));
  }
  const codes = errorsOf(route).get(status);
  if (!codes) return [`${operationId} does not document status ${status}`];
  const parsed = problem.safeParse(body);
  if (!parsed.success) return parsed.error.issues.map((issue) => describe(operationId, status, issue));
  const code = parsed.data.code;
  const listed = [...codes] as string[];
  const violations: string[] = [];
  if (!listed.includes(code))
    violations.push(`${operationId} ${status}: code ${code} is not one of ${listed.join(', ')}`);
  if (parsed.data.status !== status)
    violations.push(`${operationId} ${status}: the problem says status ${parsed.data.status}`);
  return violations;
}

function routeOf(operationId: string): PublicRoute {
  const route = PUBLIC_ROUTES.find((candidate) => candidate.operationId === operationId);
  if (!route) throw new Error(`no public operation ${operationId}`);
  return route;
}

function describe(
  operationId: string,
  status: number,
  issue: { path: PropertyKey[]; message: string },
): string {
  return `${operationId} ${status}: ${issue.path.map(String).join('.') || '(root)'} ${issue.message}`;
}
