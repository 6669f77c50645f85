import {
  CURRENCY_CODES,
  currencyCode,
  formatMinorUnits,
  isCurrencyCode,
  minorUnitExponent,
} from './currencies';

describe('the currency list', () => {
  it('holds ISO 4217 exponents: JPY 0, USD 2, KWD and BHD 3', () => {
    expect(minorUnitExponent('JPY')).toBe(0);
    expect(minorUnitExponent('KRW')).toBe(0);
    expect(minorUnitExponent('USD')).toBe(2);
    expect(minorUnitExponent('EUR')).toBe(2);
    expect(minorUnitExponent('KWD')).toBe(3);
    expect(minorUnitExponent('BHD')).toBe(3);
  });

  it('refuses codes that are not currencies, fund codes and withdrawn ones', () => {
    for (const code of ['XYZ', 'usd', 'US', 'USDX', 'XAU', 'XXX', 'XTS', 'CLF', 'HRK', 'ZWL', ''])
      expect(isCurrencyCode(code)).toBe(false);
    expect(minorUnitExponent('XYZ')).toBeUndefined();
  });

  it('names only codes that the runtime knows as currencies too, each once', () => {
    const known = new Set(Intl.supportedValuesOf('currency'));
    // VED is newer than the ICU data of some Node 20 builds.
    expect(CURRENCY_CODES.filter((code) => !known.has(code) && code !== 'VED')).toEqual([]);
    expect(new Set(CURRENCY_CODES).size).toBe(CURRENCY_CODES.length);
  });

  it('validates request fields with a clear message', () => {
    expect(currencyCode.safeParse('JPY').success).toBe(true);
    const refused = currencyCode.safeParse('XYZ');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/ISO 4217/);
  });
});

describe('formatMinorUnits', () => {
  it.each([
    [1234, 'USD', '12.34 USD'],
    [5, 'USD', '0.05 USD'],
    [-1999, 'EUR', '-19.99 EUR'],
    [1500, 'JPY', '1500 JPY'],
    [0, 'JPY', '0 JPY'],
    [1250, 'KWD', '1.250 KWD'],
    [7, 'BHD', '0.007 BHD'],
    [42, 'XYZ', '42 XYZ (minor units)'],
  ])('formats %d %s as "%s"', (amount, currency, text) => {
    expect(formatMinorUnits(amount, currency)).toBe(text);
  });
});
