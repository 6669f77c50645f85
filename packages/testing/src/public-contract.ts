import { contractViolations } from '@surge/contracts';

/**
 * Asserts that a real answer is `status` and what the public contract documents for the
 * operation (@surge/contracts' contractViolations: a documented status, a body of the
 * documented shape, an error code listed for its status). The component tests of every
 * service that serves public routes check their answers with it.
 */
export function expectPublicContract(
  operationId: string,
  answer: { status: number; body: unknown },
  status: number,
): void {
  if (answer.status !== status)
    throw new Error(
      `${operationId}: expected ${status}, answered ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  const violations = contractViolations(operationId, answer.status, answer.body);
  if (violations.length > 0) throw new Error(`${operationId} breaks its contract:\n${violations.join('\n')}`);
}
