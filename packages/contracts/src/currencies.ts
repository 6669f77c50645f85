import { z } from 'zod';

/**
 * The currencies Surge takes, with ISO 4217's minor-unit exponent for each: the number
 * of decimal places between the currency's major unit and its smallest unit. Every
 * amount in Surge (`priceCents`, `totalCents`, `amountCents`) is an integer count of
 * that smallest unit: cents for USD (exponent 2), yen for JPY (0), fils for KWD (3).
 * The field names keep "Cents" because they are the public contract; they read as
 * "minor units". One list, here, for every service: the product service validates
 * writes against it, the notification email formats with it.
 *
 * Written out rather than taken from `Intl`: ICU's digits are a locale's display
 * habit (it shows HUF and IQD with 0), not ISO's exponent, and the list must not move
 * with the Node version. Circulating currencies only: no fund codes (BOV, CLF, USN, ...),
 * precious metals, XDR or test codes, and none withdrawn (HRK, SLL, ZWL, CUC, ANG).
 */
const ZERO_DECIMALS = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF';
const THREE_DECIMALS = 'BHD IQD JOD KWD LYD OMR TND';
const TWO_DECIMALS =
  'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD ' +
  'CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP ' +
  'GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD ' +
  'LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB ' +
  'PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC ' +
  'SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG';

const codes = (list: string) => list.split(' ');

const EXPONENTS: ReadonlyMap<string, number> = new Map([
  ...codes(ZERO_DECIMALS).map((code) => [code, 0] as const),
  ...codes(TWO_DECIMALS).map((code) => [code, 2] as const),
  ...codes(THREE_DECIMALS).map((code) => [code, 3] as const),
]);

/** Every accepted code, sorted: for documentation and tests. */
export const CURRENCY_CODES: readonly string[] = [...EXPONENTS.keys()].sort();

export function isCurrencyCode(code: string): boolean {
  return EXPONENTS.has(code);
}

/** ISO 4217's minor-unit exponent (JPY 0, USD 2, KWD 3); undefined for a code Surge does not take. */
export function minorUnitExponent(code: string): number | undefined {
  return EXPONENTS.get(code);
}

/** A currency field of a request: three capitals that name a currency Surge takes. */
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
  .refine(isCurrencyCode, 'is not an ISO 4217 currency Surge accepts');

/**
 * The same, with the currencies listed in the documents generated from it (`enum`): the
 * refinement is invisible to JSON Schema, and "any three capitals" promised the internal
 * APIs' callers codes they refuse (schemathesis sent one to the payment provider). The
 * public API's fields say it with their own description (public/common.ts acceptedCurrency).
 */
export const listedCurrencyCode = currencyCode.meta({ enum: [...CURRENCY_CODES] });

/**
 * An amount in minor units as "12.34 USD", "1500 JPY" or "1.250 KWD": exact (integer
 * arithmetic, no floating point) and the same in every locale. A code outside the
 * list (data written before currencies were checked) has no known exponent, so the
 * amount is shown as it is stored rather than guessed at.
 */
export function formatMinorUnits(amount: number, currency: string): string {
  const exponent = minorUnitExponent(currency);
  if (exponent === undefined) return `${amount} ${currency} (minor units)`;
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  const major = digits.slice(0, digits.length - exponent);
  const minor = digits.slice(digits.length - exponent);
  return `${sign}${major}${exponent > 0 ? `.${minor}` : ''} ${currency}`;
}
