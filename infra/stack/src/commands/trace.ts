import fs from 'node:fs';
import path from 'node:path';

import { surgePaths } from '../native/paths';
import { fetchTrace, servicesOf, traceDurationUs } from '../observability/jaeger-trace';
import { jaegerQueryUrl } from '../observability/stack-targets';
import { formatDuration, renderWaterfall } from '../observability/waterfall-html';

/**
 * `npm run stack -- trace <trace id>`: one trace from Jaeger's query API as a waterfall HTML
 * page under .surge/traces/, to open in any browser where Jaeger serves no UI.
 */
export async function trace(args: string[]): Promise<void> {
  const traceId = args[0];
  if (!traceId || !/^[0-9a-f]{1,32}$/i.test(traceId))
    throw new Error(
      "usage: npm run stack -- trace <trace id>  (32 hex digits, e.g. from a log line's trace_id)",
    );
  const paths = surgePaths();
  const query = jaegerQueryUrl(paths);
  const found = await fetchTrace(query, traceId);
  const file = path.join(paths.stateDir, 'traces', `${found.traceID}.html`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderWaterfall(found, `Trace ${found.traceID}`));
  process.stdout.write(
    `${found.spans.length} spans, ${formatDuration(traceDurationUs(found))}, services ${servicesOf(found).join(', ')}\n` +
      `waterfall: file://${file}\n`,
  );
}
