import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureChromium } from '../../src/observability/chromium';
import { surgePaths } from '../../src/native/paths';

/**
 * Debian's Chromium driven by playwright-core, kept off the network: no downloads of a
 * browser, no component updates, no sync, no QUIC. Installed with apt on first use
 * (cached like PostgreSQL); a machine that cannot install it fails the suite with the
 * command to run, never skips it.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await ensureChromium(surgePaths(), (line) => process.stdout.write(`${line}\n`));
  // playwright-core makes a fresh profile folder per launch (its userDataDir), removed on close.
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * axe-core's WCAG 2.x A/AA rules and best practices on the page as it is now. Evaluated
 * through the DevTools protocol, so the page's content security policy (no inline
 * script) does not have to be loosened for the test.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, not a function: this package is compiled without the DOM's types.
  const violations = await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)",
  );
  return (violations as AxeViolation[]).map(
    (v) =>
      `${page.url()}: ${v.id} (${v.impact ?? '?'}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
  );
}

/** Screenshots for docs/images, only when asked (`SURGE_SCREENSHOTS=1`), so a test run leaves the tree clean. */
export async function screenshotForDocs(page: Page, name: string): Promise<void> {
  if (process.env.SURGE_SCREENSHOTS !== '1') return;
  const out = path.resolve(__dirname, '..', '..', '..', '..', 'docs', 'images', `${name}.png`);
  await page.screenshot({ path: out, fullPage: false });
}
