import { benchNotifications, benchOrder, benchPaymentIntent } from './read-route-seeds';

describe('benchOrder', () => {
  it("is the user's order whose total is the sum of its lines, its deadline ahead", () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const order = benchOrder('u-1', now);
    expect(order.userId).toBe('u-1');
    expect(order.totalCents).toBe(
      order.items.reduce((sum, line) => sum + line.quantity * line.priceCents, 0),
    );
    expect(order.paymentDeadline.getTime()).toBeGreaterThan(now.getTime());
    expect(order.id).not.toBe(benchOrder('u-1', now).id);
  });
});

describe('benchPaymentIntent', () => {
  it("carries the order's id and the user's terms", () => {
    const intent = benchPaymentIntent('u-1', 'o-1');
    expect(intent).toMatchObject({ orderId: 'o-1', terms: { userId: 'u-1', currency: 'USD' } });
    expect(intent.terms.amountCents).toBeGreaterThan(0);
  });
});

describe('benchNotifications', () => {
  it('is a welcome email then receipts, one dedupe key and event id per fact', () => {
    const items = benchNotifications('u-1', 'a@b.test', 4);
    expect(items.map((n) => n.type)).toEqual(['user.registered', 'order.paid', 'order.paid', 'order.paid']);
    expect(items[0]!.dedupeKey).toBe('user.registered:u-1:1');
    expect(new Set(items.map((n) => n.dedupeKey)).size).toBe(4);
    expect(new Set(items.map((n) => n.eventId)).size).toBe(4);
    expect(items.every((n) => n.userId === 'u-1' && n.recipient === 'a@b.test')).toBe(true);
  });
});
