import type { Payment } from './payment';
import { needsProviderLookup, owesRefund, publicStatus } from './payment';
import { cancelCharge, recordProviderOutcome, recordRefund } from './transitions';

const now = new Date('2025-11-28T10:00:00Z');

function payment(overrides: Partial<Payment> = {}): Payment {
  return {
    id: 'payment-1',
    orderId: 'order-1',
    terms: { userId: 'user-1', amountCents: 1999, currency: 'USD' },
    status: 'PENDING',
    providerChargeId: null,
    version: 0,
    attemptedAt: now,
    chargeInFlight: true,
    capturedAt: null,
    declinedAt: null,
    refundedAt: null,
    cancelledAt: null,
    createdAt: now,
    ...overrides,
  };
}

describe('recordProviderOutcome', () => {
  it('captures a pending payment, ends its lease and announces version 1', () => {
    const { payment: next, events } = recordProviderOutcome(
      payment(),
      { chargeId: 'ch', status: 'captured' },
      now,
    );
    expect(next).toMatchObject({ status: 'CAPTURED', providerChargeId: 'ch', capturedAt: now, version: 1 });
    expect(next.chargeInFlight).toBe(false);
    expect(events).toEqual([{ type: 'payment.captured', version: 1 }]);
  });

  it('declines a pending payment', () => {
    const { payment: next, events } = recordProviderOutcome(
      payment(),
      { chargeId: 'ch', status: 'declined' },
      now,
    );
    expect(next).toMatchObject({ status: 'DECLINED', declinedAt: now });
    expect(events).toEqual([{ type: 'payment.declined', version: 1 }]);
  });

  it('records a charge already refunded at the provider as captured then refunded', () => {
    const { payment: next, events } = recordProviderOutcome(
      payment(),
      { chargeId: 'ch', status: 'refunded' },
      now,
    );
    expect(next.status).toBe('REFUNDED');
    expect(events.map((event) => event.version)).toEqual([1, 2]);
  });

  it('on a cancelled payment, keeps it cancelled and records the capture as owed back', () => {
    const { payment: next } = recordProviderOutcome(
      payment({ status: 'CANCELLED' }),
      { chargeId: 'ch', status: 'captured' },
      now,
    );
    expect(next.status).toBe('CANCELLED');
    expect(owesRefund(next)).toBe(true);
    expect(publicStatus(next)).toBe('CAPTURED');
  });

  it('changes nothing when the provider charge is already recorded (a second report)', () => {
    const recorded = payment({ status: 'CAPTURED', providerChargeId: 'ch', capturedAt: now, version: 1 });
    const transition = recordProviderOutcome(recorded, { chargeId: 'ch', status: 'captured' }, now);
    expect(transition.payment).toBe(recorded);
    expect(transition.events).toEqual([]);
  });
});

describe('recordRefund', () => {
  it('refunds a capture once', () => {
    const captured = payment({ status: 'CAPTURED', providerChargeId: 'ch', capturedAt: now, version: 1 });
    const first = recordRefund(captured, now);
    expect(first.payment).toMatchObject({ status: 'REFUNDED', refundedAt: now, version: 2 });
    expect(first.events).toEqual([{ type: 'payment.refunded', version: 2 }]);
    expect(recordRefund(first.payment, now).events).toEqual([]);
  });

  it('does nothing without a capture', () => {
    expect(recordRefund(payment(), now).events).toEqual([]);
  });
});

describe('cancelCharge', () => {
  it.each(['PENDING', 'DECLINED'] as const)('cancels a %s payment without an event', (status) => {
    const transition = cancelCharge(payment({ status }), now);
    expect(transition.payment).toMatchObject({ status: 'CANCELLED', cancelledAt: now });
    expect(transition.events).toEqual([]);
  });

  it.each(['CAPTURED', 'REFUNDED', 'CANCELLED'] as const)('leaves a %s payment as it is', (status) => {
    const current = payment({ status });
    expect(cancelCharge(current).payment).toBe(current);
  });
});

describe('needsProviderLookup', () => {
  it('asks about attempts without an answer, never about payments the provider never saw', () => {
    expect(needsProviderLookup(payment())).toBe(true);
    expect(needsProviderLookup(payment({ status: 'CANCELLED' }))).toBe(true);
    expect(needsProviderLookup(payment({ attemptedAt: null }))).toBe(false);
    expect(needsProviderLookup(payment({ providerChargeId: 'ch' }))).toBe(false);
  });
});
