import { toPgbenchScript } from './pgbench-script';
import type { CapturedStatement } from './statement-capture';

const PRODUCT = '8656dc25-627a-4e8a-b466-885015841258';
const ORDER = '3df88b10-d90e-4b4f-b5b1-37ae06342632';
const at = (pid: number, sql: string): CapturedStatement => ({
  database: 'surge_order',
  pid,
  sql,
  shape: sql,
});

describe('toPgbenchScript', () => {
  it('gives each made-up uuid a fresh value per iteration and keeps the ones that existed', () => {
    const script = toPgbenchScript(
      [at(1, `INSERT INTO orders (id, items) VALUES ('${ORDER}', '[{"productId": "${PRODUCT}"}]')`)],
      new Set([PRODUCT]),
    );
    expect(script).toBe(
      `SELECT gen_random_uuid() AS u1 \\gset\nINSERT INTO orders (id, items) VALUES (':u1', '[{"productId": "${PRODUCT}"}]');\n`,
    );
  });

  it('keeps sessions in blocks, drops emptied transactions and comments that would swallow a line', () => {
    const script = toPgbenchScript(
      [
        at(1, 'BEGIN'),
        at(2, 'SELECT 1'),
        at(1, "UPDATE orders SET status = 'PAID', -- why\n  version = version + 1"),
        at(2, 'BEGIN'),
        at(1, 'COMMIT'),
        at(2, 'COMMIT'),
      ],
      new Set(),
    );
    expect(script).toBe(
      "BEGIN;\nUPDATE orders SET status = 'PAID', version = version + 1;\nCOMMIT;\nSELECT 1;\n",
    );
  });
});
