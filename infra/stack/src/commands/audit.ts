import { formatReport, runAudit } from '../audit/run-audit';
import { defaultAdminUrl } from '../native/postgres';
import { portFromEnv } from '../native/daemon';
import { databaseSuffix } from '../services/stack-context';

/**
 * `npm run stack -- audit [--settle <seconds>] [--json]`: checks that the running system is
 * consistent as a whole and exits non-zero on any violation. `--settle` (default 60)
 * lets traffic in flight land first; 0 judges the current state as it is.
 */
export async function audit(args: string[]): Promise<void> {
  const settleIndex = args.indexOf('--settle');
  const settleSeconds = settleIndex >= 0 ? Number(args[settleIndex + 1]) : 60;
  if (!Number.isFinite(settleSeconds) || settleSeconds < 0)
    throw new Error('--settle takes a number of seconds');
  const adminUrl =
    process.env.SURGE_PG_ADMIN_URL ?? defaultAdminUrl(portFromEnv(process.env, 'SURGE_PG_PORT', 5432));
  const report = await runAudit({ adminUrl, settleSeconds, databaseSuffix: databaseSuffix(process.env) });
  process.stdout.write(
    `${args.includes('--json') ? JSON.stringify(report, null, 2) : formatReport(report)}\n`,
  );
  if (!report.ok) process.exitCode = 1;
}
