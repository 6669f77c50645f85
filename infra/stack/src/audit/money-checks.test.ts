import { judgeMoney, type HeldMoney, type OrderMoney, type PaymentMoney } from './money-checks';

const order = (overrides: Partial<OrderMoney> = {}): OrderMoney => ({
  id: 'o1',
  status: 'PAID',
  total_cents: '1500',
  currency: 'JPY',
  ...overrides,
});
const held = (overrides: Partial<HeldMoney> = {}): HeldMoney => ({
  key: 'o1',
  currency: 'JPY',
  captures: '1',
  amount: '1500',
  ...overrides,
});
const payment = (overrides: Partial<PaymentMoney> = {}): PaymentMoney => ({
  order_id: 'o1',
  status: 'CAPTURED',
  amount_cents: '1500',
  currency: 'JPY',
  ...overrides,
});

const violations = (orders: OrderMoney[], heldRows: HeldMoney[], payments: PaymentMoney[]) =>
  judgeMoney(orders, heldRows, payments).flatMap((result) => result.violations);

describe('the money audit', () => {
  it('passes a PAID order whose capture matches its total and currency', () => {
    expect(violations([order()], [held()], [payment()])).toEqual([]);
  });

  it('flags a capture of the right amount in another currency: 1500 cents are not 1500 yen', () => {
    const found = violations([order()], [held({ currency: 'USD' })], [payment({ currency: 'USD' })]);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('the provider holds 1500 USD'),
        expect.stringContaining('captured 1500 USD, the order total is 1500 JPY'),
      ]),
    );
  });

  it('counts captures across currencies: two captures of one order are two', () => {
    const found = violations([order()], [held(), held({ currency: 'USD', amount: '10' })], [payment()]);
    expect(found).toEqual(expect.arrayContaining([expect.stringContaining('2 captures at the provider')]));
  });

  it('flags money held for a cancelled order and money for no order', () => {
    const found = violations([order({ status: 'CANCELLED' })], [held(), held({ key: 'ghost' })], []);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('is CANCELLED (total 1500 JPY) but the provider holds 1500 JPY'),
        expect.stringContaining('ghost, which is no order'),
      ]),
    );
  });
});
