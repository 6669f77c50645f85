import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createLogger } from '@surge/logger';
import { provisionTestDatabase, uniqueSuffix } from '@surge/testing';
import { runMigrations } from '../src';

describe('runMigrations', () => {
  it('when several instances migrate at once, every one succeeds and each migration applies once', async () => {
    const databaseUrl = await provisionTestDatabase('surge_postgres_kit_test');
    const dir = mkdtempSync(path.join(tmpdir(), 'surge-migrations-'));
    const table = `t_${uniqueSuffix()}`;
    writeFileSync(
      path.join(dir, '0001_create.sql'),
      `-- Up Migration\nCREATE TABLE ${table} (id int);\nINSERT INTO ${table} VALUES (1);\n-- Down Migration\nDROP TABLE ${table};\n`,
    );
    const logger = createLogger({ service: 'test', level: 'silent' });

    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        runMigrations({ databaseUrl, dir, logger, table: `migrations_${table}` }),
      ),
    );

    expect(results.flat()).toEqual(['0001_create']);
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${table}`);
    await client.end();
    expect(rows[0]).toEqual({ n: 1 });
  });
});
