import { expectPublicContract } from './public-contract';

const problem = (status: number, code: string) => ({
  type: `/problems/${code.toLowerCase()}`,
  title: 'T',
  status,
  detail: 'd',
  code,
  requestId: 'r-1',
});

describe('expectPublicContract', () => {
  it('passes a documented error answer with a code listed for its status', () => {
    expect(() =>
      expectPublicContract('getCart', { status: 401, body: problem(401, 'UNAUTHORIZED') }, 401),
    ).not.toThrow();
  });

  it('fails an answer of another status than expected, showing its body', () => {
    expect(() =>
      expectPublicContract('getCart', { status: 401, body: problem(401, 'UNAUTHORIZED') }, 200),
    ).toThrow(/getCart: expected 200, answered 401 .*UNAUTHORIZED/);
  });

  it('fails a code the contract does not list for the status, and a status it does not document', () => {
    expect(() =>
      expectPublicContract('getCart', { status: 401, body: problem(401, 'EMAIL_TAKEN') }, 401),
    ).toThrow(/code EMAIL_TAKEN is not one of/);
    expect(() =>
      expectPublicContract('getCart', { status: 418, body: problem(418, 'INTERNAL') }, 418),
    ).toThrow(/does not document status 418/);
  });
});
