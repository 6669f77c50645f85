import { createChargeRoute, getChargeRoute } from './provider-api';
import { commitReservationRoute } from './product-api';
import { routePath } from './route-request';

describe('routePath', () => {
  it('is the route’s path when its template names no parameter', () => {
    expect(routePath(createChargeRoute)).toBe('/v1/charges');
  });

  it('fills each parameter the template names', () => {
    const orderId = '0b6f7a52-5d7e-4c54-9a1e-5a7f3c2b1d10';
    expect(routePath(commitReservationRoute, { orderId })).toBe(`/internal/reservations/${orderId}/commit`);
  });

  it('encodes a parameter, so a key with a slash or a question mark stays one path segment', () => {
    expect(routePath(getChargeRoute, { idempotencyKey: 'key/with?odd#chars' })).toBe(
      '/v1/charges/key%2Fwith%3Fodd%23chars',
    );
  });

  it('refuses to build a path whose parameter is missing, naming the operation', () => {
    expect(() => routePath(getChargeRoute, {})).toThrow(
      'getCharge: path parameter idempotencyKey is missing',
    );
    expect(() => routePath(getChargeRoute)).toThrow(/idempotencyKey is missing/);
  });
});
