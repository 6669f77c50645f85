import { entityTag, matchesEntityTag } from './entity-tags';

describe('entity tags', () => {
  const tag = entityTag({ version: 3 });

  it.each([
    ['the same tag', '"v3"', true],
    ['the weak form of it', 'W/"v3"', true],
    ['a list containing it', '"v1", "v3"', true],
    ['a wildcard', '*', true],
    ['another version', '"v4"', false],
    ['nothing', undefined, false],
  ])('If-None-Match with %s matches: %s', (_label, header, expected) => {
    expect(matchesEntityTag(header, tag)).toBe(expected);
  });
});
