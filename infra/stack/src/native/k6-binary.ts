import { type EnsureOptions, resolveOptions } from './daemon';
import { buildGoBinary } from './go-binary';
import { K6_VERSION } from './paths';

const K6_MODULE = 'go.k6.io/k6';

/**
 * The k6 binary `npm run load` runs, built once per version from its Go module into
 * ~/.cache/surge/k6-<version>/bin and reused by every clone. k6 is pure Go (no cgo), not a
 * Debian package, and no release binary can be downloaded here; the Go module proxy can be
 * reached. As for Mailpit and Jaeger, `go mod download` + `go build` instead of `go
 * install`, which also asks the proxy for version lists (refused here). k6 keeps its
 * version in a constant, so no -X flag is needed. Measured on a busy 2-core machine: 286 s
 * for the first build, a 48 MB binary; every later run reuses it.
 */
export async function ensureK6Binary(opts: EnsureOptions = {}): Promise<string> {
  const o = resolveOptions('k6', opts, 0);
  const own = o.env['K6_BIN'];
  if (own) return own;
  return buildGoBinary(o, {
    component: 'k6',
    label: `k6 ${K6_VERSION}`,
    module: K6_MODULE,
    moduleVersion: K6_VERSION,
    pkg: '.',
    ldflags: '-s -w',
    bin: o.paths.k6Bin,
    cacheDir: o.paths.k6CacheDir,
    costHint: 'fetches its modules and compiles, about 5 minutes on 2 cores',
    goHint: '1.25 or later (or GOTOOLCHAIN allowing Go to fetch it)',
    insteadHint: 'set K6_BIN to a k6 binary you have',
  });
}
