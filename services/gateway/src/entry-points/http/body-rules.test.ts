import { isFormMediaType, isJsonMediaType, judgeBody } from './body-rules';

const LIMIT = 1_048_576;

describe('request body rules', () => {
  it('sees no body without Content-Length or Transfer-Encoding, or with Content-Length 0', () => {
    expect(judgeBody({}, LIMIT)).toBe('none');
    expect(judgeBody({ 'content-length': '0' }, LIMIT)).toBe('none');
  });

  it('accepts a JSON body within the limit', () => {
    expect(
      judgeBody(
        { 'content-length': String(LIMIT), 'content-type': 'application/json; charset=utf-8' },
        LIMIT,
      ),
    ).toBe('acceptable');
    expect(
      judgeBody({ 'transfer-encoding': 'chunked', 'content-type': 'application/merge-patch+json' }, LIMIT),
    ).toBe('acceptable');
  });

  it('refuses a declared length over the limit before anything else', () => {
    expect(judgeBody({ 'content-length': String(LIMIT + 1), 'content-type': 'text/plain' }, LIMIT)).toBe(
      'too-large',
    );
  });

  it('refuses a body that is not JSON', () => {
    expect(judgeBody({ 'content-length': '3', 'content-type': 'text/plain' }, LIMIT)).toBe(
      'unsupported-type',
    );
    expect(judgeBody({ 'content-length': '3' }, LIMIT)).toBe('unsupported-type');
    expect(
      judgeBody(
        { 'transfer-encoding': 'chunked', 'content-type': 'application/x-www-form-urlencoded' },
        LIMIT,
      ),
    ).toBe('unsupported-type');
  });

  it('recognises JSON media types and nothing else', () => {
    expect(isJsonMediaType('Application/JSON')).toBe(true);
    expect(isJsonMediaType('application/problem+json')).toBe(true);
    expect(isJsonMediaType('application/jsonp')).toBe(false);
    expect(isJsonMediaType('text/json')).toBe(false);
    expect(isJsonMediaType(undefined)).toBe(false);
  });
});

describe("the storefront's body rule", () => {
  it('accepts HTML form posts and nothing else', () => {
    const form = {
      'content-length': '3',
      'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
    };
    expect(judgeBody(form, LIMIT, isFormMediaType)).toBe('acceptable');
    expect(
      judgeBody({ 'content-length': '3', 'content-type': 'application/json' }, LIMIT, isFormMediaType),
    ).toBe('unsupported-type');
  });
});
