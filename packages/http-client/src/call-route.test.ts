import {
  chargePaymentRoute,
  commitReservationRoute,
  createChargeRoute,
  getChargeRoute,
  refundChargeRoute,
} from '@surge/contracts';
import { UpstreamContractError } from '@surge/errors';
import { isIdempotentCall } from './call-policy';
import { callRoute } from './call-route';
import type { CallOptions, CallResult, ServiceCaller } from './call-types';

const orderId = '0b6f7a52-5d7e-4c54-9a1e-5a7f3c2b1d10';
const chargeId = '9d3c1e7a-2b4f-4a6e-8c1d-3f5a7b9c0e21';

/** A caller that records what it was asked to send and answers what the test set. */
function recordingCaller(answer: { status: number; body: unknown }) {
  const calls: CallOptions[] = [];
  const caller: ServiceCaller = {
    call<T>(options: CallOptions): Promise<CallResult<T>> {
      calls.push(options);
      return Promise.resolve({ status: answer.status, headers: {}, body: answer.body as T });
    },
  };
  return { caller, calls };
}

const captured = {
  id: chargeId,
  status: 'captured',
  amountCents: 100,
  currency: 'USD',
  createdAt: '2026-12-07T10:00:00.000Z',
};

describe('callRoute', () => {
  it('sends the route’s method and path with the request’s headers and body, and reads the answer', async () => {
    const { caller, calls } = recordingCaller({ status: 201, body: { ...captured, extra: 1 } });
    const body = { amountCents: 100, currency: 'USD', token: 'tok_visa' };

    const answer = await callRoute(caller, 'payment-provider', createChargeRoute, {
      headers: { 'idempotency-key': orderId },
      body,
    });

    expect(calls).toEqual([
      { method: 'POST', path: '/v1/charges', headers: { 'idempotency-key': orderId }, body },
    ]);
    expect(answer).toEqual({ status: 201, body: captured });
  });

  it('fills and encodes the path parameters and sends no body the route does not take', async () => {
    const { caller, calls } = recordingCaller({ status: 404, body: notFound() });

    const answer = await callRoute(caller, 'payment-provider', getChargeRoute, {
      params: { idempotencyKey: 'a key/with slash' },
    });

    expect(calls).toEqual([{ method: 'GET', path: '/v1/charges/a%20key%2Fwith%20slash' }]);
    expect(answer.status).toBe(404);
  });

  it('passes the caller’s retry decision and budget through untouched', async () => {
    const { caller, calls } = recordingCaller({
      status: 200,
      body: { orderId, status: 'COMMITTED' },
    });

    await callRoute(caller, 'product', commitReservationRoute, {
      params: { orderId },
      idempotent: true,
      timeoutMs: 1_500,
    });

    expect(calls[0]).toEqual({
      method: 'POST',
      path: `/internal/reservations/${orderId}/commit`,
      idempotent: true,
      timeoutMs: 1_500,
    });
  });

  it('leaves retry safety to the call policy: a keyed POST and a GET may repeat, an unkeyed POST may not', async () => {
    const { caller, calls } = recordingCaller({ status: 500, body: undefined });
    const calling = [
      callRoute(caller, 'payment-provider', createChargeRoute, {
        headers: { 'idempotency-key': orderId },
        body: { amountCents: 1, currency: 'USD', token: 'tok_visa' },
      }),
      callRoute(caller, 'payment-provider', getChargeRoute, { params: { idempotencyKey: orderId } }),
      callRoute(caller, 'payment-provider', refundChargeRoute, { body: { chargeId } }),
    ];
    await Promise.allSettled(calling);

    expect(calls.map((call) => isIdempotentCall(call))).toEqual([true, true, false]);
  });

  it('an answer outside the route’s contract is an UpstreamContractError naming the upstream', async () => {
    const { caller } = recordingCaller({ status: 201, body: { id: 42, status: 'CAPTURED' } });

    const call = callRoute(caller, 'payment', chargePaymentRoute, {
      headers: { 'idempotency-key': orderId },
      body: { orderId, userId: chargeId, amountCents: 100, token: 'tok_visa' },
      idempotent: true,
    });

    await expect(call).rejects.toBeInstanceOf(UpstreamContractError);
    await expect(call).rejects.toMatchObject({ dependency: 'payment' });
  });

  it('types the request by the route: a charge without its idempotency key does not compile', () => {
    const { caller } = recordingCaller({ status: 500, body: undefined });
    const compileOnly = () =>
      // @ts-expect-error the charge route declares an `idempotency-key` header
      callRoute(caller, 'payment', chargePaymentRoute, {
        body: { orderId, userId: chargeId, amountCents: 100, token: 'tok_visa' },
      });
    expect(typeof compileOnly).toBe('function');
  });
});

function notFound() {
  return {
    type: '/problems/not-found',
    title: 'Not Found',
    status: 404,
    detail: 'No charge was made with this key',
    code: 'NOT_FOUND',
  };
}
