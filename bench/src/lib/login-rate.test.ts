import { loginRate, loginTimeOf } from './login-rate';

const T0 = 1_700_000_000_000;

describe('loginTimeOf', () => {
  it('reads the send time of a password login, and of nothing else', () => {
    expect(
      loginTimeOf(
        '{"kind":"request","at":123.5,"ms":420,"flow":"auth","name":"auth: login","status":200,"failed":false}',
      ),
    ).toBe(123.5);
    expect(loginTimeOf('{"kind":"request","at":1,"flow":"auth","name":"auth: refresh"}')).toBeUndefined();
    expect(loginTimeOf('{"kind":"visit","at":1}')).toBeUndefined();
    expect(loginTimeOf('{"kind":"request","at":1,"name":"auth: login"')).toBeUndefined();
  });
});

describe('loginRate', () => {
  const window = { stepSeconds: 20, warmupSeconds: 5 };
  const visits = Array.from({ length: 200 }, (_, i) => T0 + i * 100);

  it('counts logins over the measured window, per second and per visit started in it', () => {
    const logins = [T0 + 1_000, T0 + 4_999, T0 + 5_000, T0 + 12_000, T0 + 19_999, T0 + 20_000];
    const rate = loginRate(logins, visits, window);
    expect(rate.logins).toBe(3);
    expect(rate.loginsPerSecond).toBeCloseTo(3 / 15);
    expect(rate.loginsPerVisit).toBeCloseTo(3 / 150);
  });

  it('answers zero, not a division by zero, for a step without visits', () => {
    expect(loginRate([], [], window)).toEqual({ logins: 0, loginsPerSecond: 0, loginsPerVisit: 0 });
  });
});
