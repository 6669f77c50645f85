import { z } from 'zod';
import { baseServiceEnv } from './env-schemas';
import { parseConfig } from './parse-config';

const schema = z.object(baseServiceEnv);

describe('FAULT_INJECTION', () => {
  it('is off unless set', () => {
    expect(parseConfig(schema, { NODE_ENV: 'development' }).FAULT_INJECTION).toBe(false);
  });

  it('can be switched on outside production', () => {
    expect(parseConfig(schema, { NODE_ENV: 'development', FAULT_INJECTION: 'true' }).FAULT_INJECTION).toBe(
      true,
    );
  });

  it('is refused with NODE_ENV=production, whatever the schema calls its fields', () => {
    expect(() => parseConfig(schema, { NODE_ENV: 'production', FAULT_INJECTION: 'true' })).toThrow(
      /FAULT_INJECTION: must be off when NODE_ENV=production/,
    );
    const renamed = schema.transform((env) => ({ nodeEnv: env.NODE_ENV }));
    expect(() => parseConfig(renamed, { NODE_ENV: 'production', FAULT_INJECTION: '1' })).toThrow(
      /FAULT_INJECTION/,
    );
  });
});
