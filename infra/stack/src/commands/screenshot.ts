import fs from 'node:fs';
import path from 'node:path';

import { jaegerInfo } from '../native/jaeger';
import { pretty, surgePaths } from '../native/paths';
import { ensureChromium, screenshot as takeScreenshot } from '../observability/chromium';
import { type JaegerTrace, findCheckoutTrace, servicesOf } from '../observability/jaeger-trace';
import { placeCheckout } from '../observability/place-checkout';
import { jaegerQueryUrl, runningGateway } from '../observability/stack-targets';
import { renderWaterfall, waterfallHeight } from '../observability/waterfall-html';

const log = (line: string) => process.stdout.write(`[screenshot] ${line}\n`);

/** Every process a checkout passes through; the picture waits until each has exported its spans. */
const CHECKOUT_SERVICES = ['gateway', 'order', 'product', 'payment', 'payment-provider', 'notification'];
const DEFAULT_OUT = 'docs/images/checkout-trace.png';
const WIDTH = 1400;

/**
 * `npm run stack -- screenshot [--out <png>] [--waterfall]`: against the running stack, places one
 * checkout through the gateway, finds its trace in Jaeger and saves a picture of it. The
 * picture is Jaeger's own trace view when Jaeger serves a UI build, else the waterfall page
 * `npm run stack -- trace` draws (--waterfall forces that).
 */
export async function screenshot(args: string[]): Promise<void> {
  const started = Date.now();
  const paths = surgePaths();
  const outIndex = args.indexOf('--out');
  const out = path.resolve(paths.repoRoot, outIndex >= 0 ? (args[outIndex + 1] ?? '') : DEFAULT_OUT);
  const gateway = runningGateway(paths);
  const query = jaegerQueryUrl(paths);
  const chromium = await ensureChromium(paths, log);

  const placed = await placeCheckout(gateway);
  log(`order ${placed.orderId} PAID; receipt notification after ${placed.notifiedAfterMs} ms`);
  const trace = await completeTrace(query, placed.orderId);
  log(`trace ${trace.traceID}: ${trace.spans.length} spans from ${servicesOf(trace).join(', ')}`);

  const html = path.join(paths.stateDir, 'traces', `${trace.traceID}.html`);
  fs.mkdirSync(path.dirname(html), { recursive: true });
  fs.writeFileSync(html, renderWaterfall(trace, 'One checkout: POST /api/orders through the gateway'));
  const useUi = !args.includes('--waterfall') && (await jaegerInfo(query)).ui;
  const shotStarted = Date.now();
  await takeScreenshot(
    chromium,
    useUi
      ? // The UI fetches the trace after loading and lays out the span tree expanded.
        {
          url: `${query}/trace/${trace.traceID}?uiEmbed=v0`,
          out,
          width: WIDTH,
          height: 1600,
          settleMs: 10_000,
        }
      : {
          url: `file://${html}`,
          out,
          width: WIDTH,
          height: waterfallHeight(trace.spans.length),
          settleMs: 0,
        },
    paths,
  );
  const kb = Math.round(fs.statSync(out).size / 1024);
  log(
    `${useUi ? 'Jaeger UI trace view' : `waterfall ${pretty(html)}`} -> ${path.relative(paths.repoRoot, out)} (${kb} KB; chromium ${((Date.now() - shotStarted) / 1000).toFixed(1)} s)`,
  );
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Polls Jaeger until the checkout's trace has spans from every service and has stopped
 * growing for one export interval (services send spans in 5 s batches).
 */
async function completeTrace(query: string, orderId: string): Promise<JaegerTrace> {
  const deadline = Date.now() + 90_000;
  let last: JaegerTrace | undefined;
  let stableSince = 0;
  for (;;) {
    const found = await findCheckoutTrace(query, orderId);
    const services = found ? servicesOf(found) : [];
    if (found && CHECKOUT_SERVICES.every((service) => services.includes(service))) {
      if (last && last.spans.length === found.spans.length) {
        if (Date.now() - stableSince >= 6_000) return found;
      } else {
        stableSince = Date.now();
      }
      last = found;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no complete trace of order ${orderId} in Jaeger (${query}) within 90 s; found services: ${services.join(', ') || 'none'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
