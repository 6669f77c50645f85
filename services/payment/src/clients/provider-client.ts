import { z } from 'zod';
import { ConflictError, DependencyError, ValidationError, type FieldProblem } from '@surge/errors';
import type { CallResult, ServiceClient } from '@surge/http-client';
import type { ProviderGateway } from '../domain/ports';

const chargeAnswer = z.object({ id: z.string().min(1), status: z.enum(['captured', 'declined']) });
const chargeState = z.object({ id: z.string().min(1), status: z.enum(['captured', 'declined', 'refunded']) });
const problem = z.object({
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/**
 * The card processor's API (docs/internal-apis.md, "Provider simulator") as the
 * payment domain needs it. The line between definite and unknown answers is drawn
 * here: 201/402 are definite; 400 and 422 mean the request was refused before any
 * charge; everything else (5xx, a timeout, a refused or dropped connection, an answer
 * we cannot read) is a DependencyError: the charge may or may not exist.
 */
export function createProviderClient(client: ServiceClient): ProviderGateway {
  return {
    async charge(request) {
      const res = await client.call({
        method: 'POST',
        path: '/v1/charges',
        headers: { 'idempotency-key': request.orderId },
        body: { amountCents: request.amountCents, currency: request.currency, token: request.token },
      });
      if (res.status === 201 || res.status === 402) {
        const answer = parse(chargeAnswer, res, client.name);
        return { chargeId: answer.id, status: answer.status };
      }
      if (res.status === 400) {
        throw new ValidationError('The payment provider refused the request', providerErrors(res.body));
      }
      if (res.status === 422) {
        throw new ConflictError(
          'IDEMPOTENCY_KEY_REUSED',
          'This order was already sent to the provider with a different amount, currency or token',
        );
      }
      throw unexpected(client.name, res.status);
    },

    async findCharge(orderId) {
      const res = await client.call({ path: `/v1/charges/${encodeURIComponent(orderId)}` });
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw unexpected(client.name, res.status);
      const state = parse(chargeState, res, client.name);
      return { chargeId: state.id, status: state.status };
    },

    async refund(chargeId) {
      const res = await client.call({ method: 'POST', path: '/v1/refunds', body: { chargeId } });
      if (res.status !== 200) throw unexpected(client.name, res.status);
    },
  };
}

function parse<T>(schema: z.ZodType<T>, res: CallResult<unknown>, dependency: string): T {
  const parsed = schema.safeParse(res.body);
  if (!parsed.success) {
    throw new DependencyError(dependency, `${dependency} answered ${res.status} with an unreadable body`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

function unexpected(dependency: string, status: number): DependencyError {
  return new DependencyError(dependency, `${dependency} answered ${status}`);
}

/** The provider's field problems, when it gave any we can read; the token otherwise. */
function providerErrors(body: unknown): FieldProblem[] {
  const parsed = problem.safeParse(body);
  const errors = parsed.success ? parsed.data.errors : undefined;
  return errors && errors.length > 0 ? errors : [{ path: 'token', message: 'not accepted by the provider' }];
}
