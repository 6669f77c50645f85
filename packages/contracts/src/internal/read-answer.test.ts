import { DependencyError, UpstreamContractError } from '@surge/errors';
import { chargePaymentRoute } from './payment-api';
import { reserveStockRoute } from './product-api';
import { readAnswer, stubAnswer } from './read-answer';

const orderId = '0b6f7a52-5d7e-4c54-9a1e-5a7f3c2b1d10';
const productId = '9d3c1e7a-2b4f-4a6e-8c1d-3f5a7b9c0e21';
const otherId = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';

describe('readAnswer', () => {
  it('returns a declared answer, parsed', () => {
    const answer = readAnswer('product', reserveStockRoute, {
      status: 201,
      body: {
        orderId,
        status: 'RESERVED',
        items: [{ productId, quantity: 2, priceCents: 500, currency: 'USD' }],
        extra: 'ignored',
      },
    });
    expect(answer).toEqual({
      status: 201,
      body: {
        orderId,
        status: 'RESERVED',
        items: [{ productId, quantity: 2, priceCents: 500, currency: 'USD' }],
      },
    });
  });

  it('refuses a reservation whose lines are in two currencies: the contract has one shape for that, the 409', () => {
    const read = () =>
      readAnswer('product', reserveStockRoute, {
        status: 201,
        body: {
          orderId,
          status: 'RESERVED',
          items: [
            { productId, quantity: 1, priceCents: 500, currency: 'USD' },
            { productId: otherId, quantity: 1, priceCents: 700, currency: 'EUR' },
          ],
        },
      });
    expect(read).toThrow(UpstreamContractError);
    expect(read).toThrow(/one currency/);
  });

  it('refuses a status the route does not declare', () => {
    const read = () => readAnswer('payment', chargePaymentRoute, { status: 200, body: {} });
    expect(read).toThrow(
      expect.objectContaining({ code: 'UPSTREAM_CONTRACT_VIOLATION', dependency: 'payment' }),
    );
  });

  it('refuses a problem whose code the route does not answer with that status', () => {
    const read = () =>
      readAnswer('payment', chargePaymentRoute, {
        status: 402,
        body: { type: '/problems/conflict', title: 'x', status: 402, detail: 'x', code: 'CONFLICT' },
      });
    expect(read).toThrow(UpstreamContractError);
  });

  it('reads a 5xx as a dependency failure whatever its body (a proxy may have written it)', () => {
    const read = () => readAnswer('payment', chargePaymentRoute, { status: 504, body: '<html>' });
    expect(read).toThrow(DependencyError);
    expect(read).toThrow(expect.objectContaining({ code: 'DEPENDENCY_TIMEOUT' }));
  });
});

describe('stubAnswer', () => {
  it('throws when a stub answers outside the contract', () => {
    expect(() =>
      stubAnswer(chargePaymentRoute, 201, {
        id: 'not-a-uuid',
        orderId,
        status: 'CAPTURED',
        amountCents: 1,
        currency: 'USD',
      }),
    ).toThrow(/breaks its contract/);
  });
});
