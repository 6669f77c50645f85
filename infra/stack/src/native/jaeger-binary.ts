import type { Resolved } from './daemon';
import { buildGoBinary } from './go-binary';
import { JAEGER_VERSION } from './paths';

const JAEGER_MODULE = 'github.com/jaegertracing/jaeger';
/**
 * Jaeger tags every v2 release twice, and only the v1 tag is a valid version of the module
 * path (no /v2 suffix): v1.76.0 is the commit of v2.13.0, whose cmd/jaeger is Jaeger v2.
 */
const JAEGER_MODULE_VERSION = 'v1.76.0';

/**
 * The Jaeger binary, built once per version from its Go module into
 * ~/.cache/surge/jaeger-<version>/bin (about 85 MB) and reused by every clone. Jaeger is
 * not a Debian package and no release binary can be downloaded here; the Go module proxy
 * can be reached. As for Mailpit, `go mod download` + `go build` instead of `go install`,
 * which also asks the proxy for version lists (refused here). Measured on 2 cores: about
 * 5 to 7 minutes, with 1.3 GB of modules and 1.6 GB of build cache under the cache folder
 * during the build, removed afterwards.
 *
 * The web UI is not in the module (jaeger-ui is a separate JavaScript build that is not
 * published to any registry reachable here), so the binary serves a placeholder page at
 * the UI address unless a UI build is installed (jaeger-ui.ts); the query API
 * (/api/services, /api/traces) is complete.
 */
export function ensureJaegerBinary(o: Resolved): Promise<string> {
  return buildGoBinary(o, {
    component: 'jaeger',
    label: `Jaeger ${JAEGER_VERSION}`,
    module: JAEGER_MODULE,
    moduleVersion: JAEGER_MODULE_VERSION,
    pkg: './cmd/jaeger',
    ldflags: `-s -w -X ${JAEGER_MODULE}/internal/version.latestVersion=${JAEGER_VERSION}`,
    bin: o.paths.jaegerBin,
    cacheDir: o.paths.jaegerCacheDir,
    costHint: 'fetches its modules and compiles, 5 to 7 minutes on 2 cores and 3 GB of temporary disk',
    goHint: '1.24.6 or later (or GOTOOLCHAIN allowing Go to fetch it)',
    insteadHint: 'set OTEL_EXPORTER_OTLP_ENDPOINT (and JAEGER_QUERY_URL) to a collector you run',
  });
}
