import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { aptInstall } from '../native/apt';
import { isRoot, runCommand, which } from '../native/exec';
import type { Log } from '../native/log';
import { type SurgePaths, logFile } from '../native/paths';
import { tailFile } from '../native/process';

/** Debian's Chromium, and a font with the glyphs the pages use (µ, ·, →). */
const PACKAGES = ['chromium', 'fonts-dejavu-core'];

/** Headless Chromium from Debian's packages, installed on first use like PostgreSQL and Redis. */
export async function ensureChromium(paths: SurgePaths, log: Log): Promise<string> {
  await aptInstall(PACKAGES, { log, paths, component: 'chromium' });
  const bin = which('chromium');
  if (!bin) throw new Error('chromium is installed but not on PATH');
  return bin;
}

export interface ScreenshotOptions {
  url: string;
  out: string;
  width: number;
  height: number;
  /**
   * Milliseconds of page time to let scripts run and render before the picture (a
   * single-page app such as Jaeger's UI fetches its data first); 0 for a static page.
   */
  settleMs: number;
}

/**
 * One PNG of a page at a fixed window size, device scale 1 (small files). A throwaway
 * profile folder per run, so parallel runs and a user's own Chromium never share a lock.
 */
export async function screenshot(
  chromium: string,
  opts: ScreenshotOptions,
  paths: SurgePaths,
): Promise<void> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-chromium-'));
  const args = [
    '--headless',
    '--disable-gpu',
    '--hide-scrollbars',
    '--no-first-run',
    '--mute-audio',
    '--force-device-scale-factor=1',
    `--user-data-dir=${profile}`,
    `--window-size=${opts.width},${opts.height}`,
    `--screenshot=${path.resolve(opts.out)}`,
    // Chromium's sandbox refuses to run as root; the pages are our own.
    ...(isRoot() ? ['--no-sandbox'] : []),
    ...(opts.settleMs > 0 ? [`--virtual-time-budget=${opts.settleMs}`] : []),
    opts.url,
  ];
  fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
  fs.rmSync(opts.out, { force: true });
  const log = logFile(paths, 'chromium');
  try {
    const res = await runCommand(chromium, args, { logFile: log });
    if (res.code !== 0 || !fs.existsSync(opts.out))
      throw new Error(`chromium exited ${res.code} without a screenshot:\n${tailFile(log, 15)}`);
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
