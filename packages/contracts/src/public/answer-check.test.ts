import { contractViolations } from './answer-check';

const problem = (status: number, code: string) => ({
  type: `/problems/${code.toLowerCase()}`,
  title: 'Error',
  status,
  detail: 'detail',
  code,
  requestId: 'req-1',
});

describe('contractViolations', () => {
  it('accepts a documented success whose body has the documented shape', () => {
    expect(contractViolations('listCategories', 200, [{ name: 'lamps', count: 3 }])).toEqual([]);
  });

  it('names the field of a success body that is not the documented shape', () => {
    expect(contractViolations('listCategories', 200, [{ name: 'lamps' }])).toEqual([
      expect.stringContaining('listCategories 200: 0.count'),
    ]);
  });

  it('flags a status the operation does not document', () => {
    expect(contractViolations('getJwks', 409, problem(409, 'CONFLICT'))).toEqual([
      'getJwks does not document status 409',
    ]);
  });

  it('accepts an error the route lists, and the ones the gateway adds to every route', () => {
    expect(contractViolations('placeOrder', 409, problem(409, 'INSUFFICIENT_STOCK'))).toEqual([]);
    expect(contractViolations('placeOrder', 429, problem(429, 'RATE_LIMITED'))).toEqual([]);
    expect(contractViolations('listProducts', 401, problem(401, 'INVALID_TOKEN'))).toEqual([]);
  });

  it('flags an error code that is not listed for its status, and a problem that is not one', () => {
    expect(contractViolations('placeOrder', 409, problem(409, 'EMAIL_TAKEN'))).toEqual([
      expect.stringContaining('code EMAIL_TAKEN is not one of'),
    ]);
    expect(contractViolations('placeOrder', 409, { message: 'conflict' })).not.toEqual([]);
  });

  it('knows no operation the contract does not have', () => {
    expect(() => contractViolations('nope', 200, {})).toThrow('no public operation nope');
  });
});
