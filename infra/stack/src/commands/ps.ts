import { infraStatus } from '../native/infra';
import { surgePaths } from '../native/paths';
import { isLiveService, readServiceRecords } from '../services/service-records';
import { SERVICE_SPECS, urlOf } from '../services/service-specs';

/** `pnpm stack ps`: every service and infrastructure component, its address, pid and state. */
export async function ps(): Promise<void> {
  const paths = surgePaths();
  const records = new Map(readServiceRecords(paths).map((record) => [record.name, record]));
  const rows: string[][] = [['NAME', 'STATE', 'PID', 'ADDRESS', 'DETAIL']];
  for (const spec of SERVICE_SPECS) {
    const record = records.get(spec.name);
    const live = record !== undefined && isLiveService(record);
    rows.push([
      spec.name,
      live ? 'running' : 'stopped',
      live ? String(record.pid) : '-',
      record?.url ?? urlOf(spec),
      live ? `since ${record.startedAt}` : '',
    ]);
  }
  for (const status of await infraStatus({ paths })) {
    rows.push([
      status.component,
      status.state,
      status.pid === null ? '-' : String(status.pid),
      `${status.host}:${status.port}`,
      status.detail,
    ]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  for (const row of rows)
    process.stdout.write(
      `${row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    );
}
