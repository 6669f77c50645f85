import fs from 'node:fs';
import path from 'node:path';

import { InfraError } from './log';
import { JAEGER_UI_VERSION, type SurgePaths, pretty } from './paths';

/** The page Jaeger serves at its UI address when it has no UI build (embedded in the binary). */
const PLACEHOLDER_TEXT = 'not the Jaeger UI you are looking for';
/** Jaeger's query service replaces this line of the UI's index.html with its version at start. */
const VERSION_SLOT = /JAEGER_VERSION\s*=\s*DEFAULT_VERSION;/;

/**
 * Why the native Jaeger has no UI of its own, and how to give it one. The UI is a separate
 * JavaScript build (github.com/jaegertracing/jaeger-ui, built with npm and vite) that is
 * neither in Jaeger's Go module nor published as a package to any registry this project
 * installs from, so the stack cannot fetch it; it serves one you bring.
 */
export function jaegerUiHowTo(paths: SurgePaths): string {
  return [
    `no Jaeger UI build in ${pretty(paths.jaegerUiDir)}: Jaeger serves the query API and a placeholder page.`,
    `To get the UI: build jaeger-ui ${JAEGER_UI_VERSION} elsewhere (git checkout ${JAEGER_UI_VERSION}; npm ci; npm run build)`,
    'and run `npm run stack -- jaeger-ui <its packages/jaeger-ui/build folder>`; the next start serves it.',
    'Without it: `npm run stack -- trace <trace id>` draws a trace as an HTML waterfall (docs/observability.md).',
  ].join('\n');
}

/** The UI build Jaeger should serve, or undefined when there is none (the usual case). */
export function jaegerUiAssets(paths: SurgePaths): string | undefined {
  return isJaegerUiBuild(paths.jaegerUiDir) ? paths.jaegerUiDir : undefined;
}

/**
 * A folder is a UI build when its index.html has the slot the query service fills with its
 * version, and is not Jaeger's own placeholder page (which has the slot too).
 */
export function isJaegerUiBuild(dir: string): boolean {
  let index: string;
  try {
    index = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  } catch {
    return false;
  }
  return VERSION_SLOT.test(index) && !index.includes(PLACEHOLDER_TEXT);
}

/** True when a served index page is the real UI, not the placeholder. */
export function isUiPage(page: string): boolean {
  return page.includes('<html') && !page.includes(PLACEHOLDER_TEXT);
}

/**
 * Copies a UI build into the shared cache folder, so every clone's Jaeger serves it from
 * its next start. Copied into a staging folder and renamed, so a half-copied build is
 * never served.
 */
export function installJaegerUi(from: string, paths: SurgePaths): string {
  const source = path.resolve(from);
  if (!isJaegerUiBuild(source)) {
    throw new InfraError(
      'jaeger',
      `${source} is not a Jaeger UI build (no index.html with "JAEGER_VERSION = DEFAULT_VERSION;")`,
      "pass jaeger-ui's packages/jaeger-ui/build folder, after `npm ci && npm run build` in a jaeger-ui checkout",
    );
  }
  const target = paths.jaegerUiDir;
  if (path.resolve(target) === source) return target;
  const staging = `${target}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.cpSync(source, staging, { recursive: true });
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
  return target;
}
