import { Client } from 'pg';
import type { AuditBounds, AuditDatabases, AuditReport, InvariantResult } from './audit-types';
import { checkMoney } from './money-checks';
import { checkNotifications, checkProgress } from './flow-checks';
import { checkStock } from './stock-checks';

/** The databases the stack provisions (infra/stack/src/services/service-specs.ts). */
export const AUDITED_DATABASES = {
  order: 'surge_order',
  payment: 'surge_payment',
  provider: 'surge_provider',
  product: 'surge_product',
  notification: 'surge_notification',
  user: 'surge_user',
} as const;

export interface AuditOptions {
  /** A role that can read every service database (the stack's admin URL). */
  adminUrl: string;
  bounds?: Partial<AuditBounds>;
  /** Keep re-checking for up to this long while anything is violated (traffic settling). */
  settleSeconds?: number;
  onAttempt?: (report: AuditReport) => void;
  /**
   * SURGE_DATABASE_SUFFIX of the stack audited (stack-context.ts): a stack with databases of
   * its own is audited in those, not in the default ones another stack writes to.
   */
  databaseSuffix?: string;
}

const DEFAULT_BOUNDS: AuditBounds = { outboxMaxAgeSeconds: 30, deadlineGraceSeconds: 30 };

async function connect(adminUrl: string, database: string): Promise<Client> {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString(), application_name: 'surge-audit' });
  await client.connect();
  return client;
}

/** One pass over every invariant, read-only. */
export async function auditOnce(db: AuditDatabases, bounds: AuditBounds): Promise<InvariantResult[]> {
  // One after another: the checks share one client per database, and a pg client runs
  // one query at a time (queuing concurrent ones is deprecated in pg 8 and gone in pg 9).
  const money = await checkMoney(db);
  const stock = await checkStock(db);
  const notifications = await checkNotifications(db);
  const progress = await checkProgress(db, bounds);
  return [...money, ...stock, notifications, ...progress];
}

/**
 * Checks that the system as a whole is consistent. Under traffic some states are
 * legitimately in flight (a payment pending, an event on its way), so a violated run
 * is repeated every second for up to `settleSeconds`; the verdict is the last run.
 */
export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  const bounds = { ...DEFAULT_BOUNDS, ...options.bounds };
  const clients: Client[] = [];
  const open = async (name: string) => {
    const client = await connect(options.adminUrl, `${name}${options.databaseSuffix ?? ''}`);
    clients.push(client);
    return client;
  };
  try {
    const order = await open(AUDITED_DATABASES.order);
    const payment = await open(AUDITED_DATABASES.payment);
    const product = await open(AUDITED_DATABASES.product);
    const user = await open(AUDITED_DATABASES.user);
    const db: AuditDatabases = {
      order,
      payment,
      product,
      provider: await open(AUDITED_DATABASES.provider),
      notification: await open(AUDITED_DATABASES.notification),
      outboxes: { user, product, order, payment },
    };
    const started = Date.now();
    for (;;) {
      const invariants = await auditOnce(db, bounds);
      const report: AuditReport = {
        at: new Date().toISOString(),
        settledAfterSeconds: Math.round((Date.now() - started) / 100) / 10,
        invariants,
        ok: invariants.every((invariant) => invariant.violations.length === 0),
      };
      options.onAttempt?.(report);
      if (report.ok || Date.now() - started >= (options.settleSeconds ?? 0) * 1000) return report;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  }
}

/** The report as a short table, for people. */
export function formatReport(report: AuditReport): string {
  const lines = [
    `audit at ${report.at} (settled after ${report.settledAfterSeconds} s): ${report.ok ? 'OK' : 'VIOLATIONS'}`,
  ];
  for (const invariant of report.invariants) {
    const verdict = invariant.violations.length === 0 ? 'ok' : `${invariant.violations.length} VIOLATED`;
    lines.push(
      `  ${invariant.name.padEnd(26)} ${verdict.padEnd(12)} checked ${invariant.checked}  (${invariant.description})`,
    );
    for (const violation of invariant.violations.slice(0, 10)) lines.push(`      - ${violation}`);
    if (invariant.violations.length > 10)
      lines.push(`      ... and ${invariant.violations.length - 10} more`);
  }
  return lines.join('\n');
}
