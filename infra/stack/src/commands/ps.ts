import { infraStatus } from '../native/infra';
import { surgePaths } from '../native/paths';
import { wantedCount } from '../services/instance-control';
import { instanceName } from '../services/instances';
import { indexOf, isLiveService, readServiceRecords, serviceOf } from '../services/service-records';
import { SERVICE_SPECS, instanceUrl, portOfInstance } from '../services/service-specs';

/**
 * `npm run stack -- ps`: every instance of every service (those its addresses file lists, and
 * any other still running), every infrastructure component: state, pid, address.
 */
export async function ps(): Promise<void> {
  const paths = surgePaths();
  const records = readServiceRecords(paths);
  const rows: string[][] = [['NAME', 'STATE', 'PID', 'ADDRESS', 'DETAIL']];
  for (const spec of SERVICE_SPECS) {
    const own = records.filter((record) => serviceOf(record) === spec.name);
    const count = Math.max(wantedCount(paths, spec.name), ...own.map((record) => indexOf(record) + 1));
    for (let index = 0; index < count; index += 1) {
      const record = own.find((entry) => indexOf(entry) === index);
      const live = record !== undefined && isLiveService(record);
      const detail = live ? [`since ${record.startedAt}`, record.cpus ? `${record.cpus} CPU` : ''] : [];
      rows.push([
        instanceName(spec.name, index),
        live ? 'running' : 'stopped',
        live ? String(record.pid) : '-',
        record?.url ?? safeUrl(() => instanceUrl(portOfInstance(spec, index))),
        detail.filter(Boolean).join(', '),
      ]);
    }
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

function safeUrl(url: () => string): string {
  try {
    return url();
  } catch {
    return '-';
  }
}
