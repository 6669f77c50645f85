import { databaseSuffix } from './stack-context';

describe('databaseSuffix', () => {
  it('is empty by default: npm start and the tests share the surge_* databases', () => {
    expect(databaseSuffix({})).toBe('');
  });

  it('ends every database name of a stack that asks for its own', () => {
    expect(databaseSuffix({ SURGE_DATABASE_SUFFIX: '_fuzz' })).toBe('_fuzz');
  });

  it.each(['-fuzz', '_Fuzz', 'x"; DROP', '_'.repeat(21)])(
    'refuses %j, which no database name may end with',
    (suffix) => {
      expect(() => databaseSuffix({ SURGE_DATABASE_SUFFIX: suffix })).toThrow(/SURGE_DATABASE_SUFFIX/);
    },
  );
});
