import { JAEGER_UI_VERSION, pretty, surgePaths } from '../native/paths';
import { installJaegerUi, jaegerUiAssets, jaegerUiHowTo } from '../native/jaeger-ui';

/**
 * `npm run stack -- jaeger-ui [<build folder>]`: with a folder, installs that Jaeger UI build
 * where every clone's Jaeger serves it from its next start; without, says whether there
 * is one and how to get it. Kept out of `up` and the tests: the UI is a separate
 * JavaScript build that this project cannot fetch (see native/jaeger-ui.ts).
 */
export async function jaegerUi(args: string[]): Promise<void> {
  const paths = surgePaths();
  const from = args[0];
  if (from) {
    const dir = installJaegerUi(from, paths);
    process.stdout.write(
      `Jaeger UI installed in ${pretty(dir)}; restart the infrastructure (npm run stack -- down; npm run stack -- up) to serve it\n`,
    );
    return;
  }
  const assets = jaegerUiAssets(paths);
  process.stdout.write(
    assets
      ? `Jaeger UI (${JAEGER_UI_VERSION} expected) in ${pretty(assets)}: Jaeger serves it at its query address\n`
      : `${jaegerUiHowTo(paths)}\n`,
  );
}
