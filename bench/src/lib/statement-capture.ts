import fs from 'node:fs';
import { Client } from 'pg';

/** One statement a session ran, with its parameters inlined as SQL literals. */
export interface CapturedStatement {
  database: string;
  pid: number;
  sql: string;
  /** The statement text with parameters left as $n: the key for baseline subtraction. */
  shape: string;
}

/** Our prefix while capturing: the database and the backend pid of every line. */
const PREFIX = '%m [%p] db=%d ';

/**
 * Turns on log_statement=all cluster-wide (ALTER SYSTEM + reload: existing pool
 * connections pick it up at once) and returns the log offset to read from. `stop`
 * restores the settings.
 */
export async function startCapture(adminUrl: string, logFile: string): Promise<{ offset: number }> {
  await alterSystem(adminUrl, [
    `ALTER SYSTEM SET log_line_prefix = '${PREFIX}'`,
    `ALTER SYSTEM SET log_statement = 'all'`,
  ]);
  // A reload reaches each backend at its next command; give idle ones a moment.
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { offset: fs.statSync(logFile).size };
}

export async function stopCapture(adminUrl: string): Promise<void> {
  await alterSystem(adminUrl, ['ALTER SYSTEM RESET log_statement', 'ALTER SYSTEM RESET log_line_prefix']);
}

async function alterSystem(adminUrl: string, statements: string[]): Promise<void> {
  const client = new Client({ connectionString: adminUrl, application_name: 'bench-capture' });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
    await client.query('SELECT pg_reload_conf()');
  } finally {
    await client.end();
  }
}

const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \S+ \[(\d+)\] db=(\S*) (\w+):\s+(.*)$/;

/** Reads the statements logged between two offsets of the PostgreSQL log. */
export function readStatements(logFile: string, from: number, to: number): CapturedStatement[] {
  const fd = fs.openSync(logFile, 'r');
  const buffer = Buffer.alloc(to - from);
  fs.readSync(fd, buffer, 0, buffer.length, from);
  fs.closeSync(fd);
  // Entries: a prefixed line, then continuation lines (multi-line SQL) without the prefix.
  const entries: Array<{ pid: number; db: string; level: string; text: string }> = [];
  for (const line of buffer.toString('utf8').split('\n')) {
    const m = LINE.exec(line);
    if (m) entries.push({ pid: Number(m[1]), db: m[2] ?? '', level: m[3] ?? '', text: m[4] ?? '' });
    else if (entries.length > 0) entries[entries.length - 1]!.text += `\n${line}`;
  }
  const statements: CapturedStatement[] = [];
  entries.forEach((entry, i) => {
    if (entry.level !== 'LOG' || !entry.db || entry.db === 'postgres') return;
    const m = /^(?:statement|execute [^:]*):\s+([\s\S]*)$/.exec(entry.text);
    if (!m?.[1]) return;
    const shape = m[1].trim();
    const next = entries[i + 1];
    const params =
      next && next.pid === entry.pid && next.level === 'DETAIL' && next.text.startsWith('parameters:')
        ? parseParameters(next.text.slice('parameters:'.length))
        : new Map<string, string>();
    statements.push({ database: entry.db, pid: entry.pid, shape, sql: inline(shape, params) });
  });
  return statements;
}

/** `$1 = 'abc', $2 = NULL` (values are SQL literals already, quotes doubled). */
function parseParameters(text: string): Map<string, string> {
  const params = new Map<string, string>();
  const re = /\$(\d+) = (NULL|'(?:[^']|'')*')/g;
  for (let m = re.exec(text); m; m = re.exec(text)) params.set(m[1]!, m[2]!);
  return params;
}

function inline(sql: string, params: Map<string, string>): string {
  return sql.replace(/\$(\d+)(?!\d)/g, (whole, n: string) => params.get(n) ?? whole);
}

/**
 * The statements of `window` less those of `baseline` (same length, no checkout), shape
 * by shape: what remains is what the checkout added (health probes and idle polls cancel out).
 */
export function subtractBaseline(
  window: CapturedStatement[],
  baseline: CapturedStatement[],
): CapturedStatement[] {
  const counts = new Map<string, number>();
  for (const s of baseline)
    counts.set(`${s.database}\0${s.shape}`, (counts.get(`${s.database}\0${s.shape}`) ?? 0) + 1);
  return window.filter((s) => {
    // Transaction brackets stay: the script drops the ones left empty.
    if (/^(BEGIN|COMMIT|ROLLBACK|START TRANSACTION)\b/i.test(s.shape)) return true;
    const key = `${s.database}\0${s.shape}`;
    const left = counts.get(key) ?? 0;
    if (left === 0) return true;
    counts.set(key, left - 1);
    return false;
  });
}
