import type { CapturedStatement } from './statement-capture';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * One database's share of a checkout as a pgbench script (simple protocol, whose
 * variables are substituted as text, inside literals too). Sessions stay in blocks, in the
 * order they first ran; every uuid the checkout made up (order, payment, event ids) becomes a
 * fresh one per iteration, so inserts never collide; uuids in `keep` (products, users: rows
 * that existed before) stay as they were. Empty transactions (whose statements were
 * background noise) are dropped.
 */
export function toPgbenchScript(statements: CapturedStatement[], keep: ReadonlySet<string>): string {
  const sessions = new Map<number, string[]>();
  for (const s of statements) sessions.set(s.pid, [...(sessions.get(s.pid) ?? []), oneLine(s.sql)]);
  const body = [...sessions.values()].flatMap(dropEmptyTransactions);
  const names = new Map<string, string>();
  const lines = body.map((sql) =>
    sql.replace(UUID, (uuid) => {
      if (keep.has(uuid)) return uuid;
      if (!names.has(uuid)) names.set(uuid, `u${names.size + 1}`);
      return `:${names.get(uuid)}`;
    }),
  );
  const header =
    names.size > 0
      ? [`SELECT ${[...names.values()].map((n) => `gen_random_uuid() AS ${n}`).join(', ')} \\gset`]
      : [];
  return `${[...header, ...lines.map((l) => `${l};`)].join('\n')}\n`;
}

export function statementCount(script: string): number {
  return script.split('\n').filter((l) => l.trim() && !l.includes('\\gset')).length;
}

/** Collapsed to one line; `--` comments (outside string literals) go first, or they would swallow the rest. */
function oneLine(sql: string): string {
  const withoutComments = sql
    .split('\n')
    .map((line) => {
      let quoted = false;
      for (let i = 0; i < line.length; i += 1) {
        if (line[i] === "'") quoted = !quoted;
        else if (!quoted && line[i] === '-' && line[i + 1] === '-') return line.slice(0, i);
      }
      return line;
    })
    .join('\n');
  return withoutComments.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim();
}

function dropEmptyTransactions(session: string[]): string[] {
  const out: string[] = [];
  for (const sql of session) {
    const last = out[out.length - 1];
    if (
      /^(COMMIT|ROLLBACK)\b/i.test(sql) &&
      last !== undefined &&
      /^(BEGIN|START TRANSACTION)\b/i.test(last)
    ) {
      out.pop();
      continue;
    }
    out.push(sql);
  }
  return out;
}
