import { newEvent } from '@surge/messaging';
import { composeEmail, formatMoney } from './compose-email';

const to = { userId: '6f1c2d3e-0000-4000-8000-000000000001', email: 'ada@example.test', name: 'Ada' };

describe('formatMoney', () => {
  it.each([
    [0, '0.00 USD'],
    [5, '0.05 USD'],
    [4_250, '42.50 USD'],
    [123_456_789, '1234567.89 USD'],
    [-199, '-1.99 USD'],
  ])('%i cents is %s', (cents, text) => {
    expect(formatMoney(cents, 'USD')).toBe(text);
  });

  it.each([
    [1_500, 'JPY', '1500 JPY'],
    [1_250, 'KWD', '1.250 KWD'],
    [999, 'BHD', '0.999 BHD'],
  ])('%i minor units of %s is %s: the exponent follows the currency', (amount, currency, text) => {
    expect(formatMoney(amount, currency)).toBe(text);
  });
});

describe('composeEmail', () => {
  it('writes a receipt naming order, payment and total, keyed by the order', () => {
    const data = {
      orderId: 'a1b2c3d4-0000-4000-8000-000000000002',
      userId: to.userId,
      totalCents: 4_250,
      currency: 'EUR',
      paymentId: 'e5f6a7b8-0000-4000-8000-000000000003',
      version: 3,
    };
    const email = composeEmail(newEvent('order.paid', data.orderId, data.orderId, data), to);
    expect(email.subject).toBe('Your Surge receipt for order a1b2c3d4');
    expect(email.aggregateId).toBe(data.orderId);
    expect(email.body).toContain('Hi Ada,');
    expect(email.body).toContain('42.50 EUR');
    expect(email.body).toContain(data.paymentId);
  });

  it('writes a receipt in yen without inventing cents', () => {
    const data = {
      orderId: 'a1b2c3d4-0000-4000-8000-000000000002',
      userId: to.userId,
      totalCents: 4_500,
      currency: 'JPY',
      paymentId: 'e5f6a7b8-0000-4000-8000-000000000003',
      version: 3,
    };
    const email = composeEmail(newEvent('order.paid', data.orderId, data.orderId, data), to);
    expect(email.body).toContain('Total:   4500 JPY');
  });

  it('welcomes a registered user by name', () => {
    const data = { userId: to.userId, email: to.email, name: to.name, version: 1 };
    const email = composeEmail(newEvent('user.registered', '/test', to.userId, data), to);
    expect(email).toMatchObject({ subject: 'Welcome to Surge, Ada', aggregateId: to.userId });
  });
});
