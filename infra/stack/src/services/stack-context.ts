import { liveRecord } from '../native/daemon';
import { provisionDatabase, type Infra } from '../native/infra';
import { toxiproxyApiUrl } from '../native/toxiproxy';
import { SERVICE_SPECS, urlOf, type StackContext } from './service-specs';
import {
  listedInstanceCount,
  removeUpstreamsFiles,
  upstreamsFileUrl,
  writeUpstreams,
} from './upstreams-file';

/**
 * Databases provisioned (idempotent) and every service's address: what services start
 * with. `up` starts afresh (one instance each, `fresh`); a later command keeps the
 * addresses files as `scale` left them and only writes the missing ones.
 */
export async function buildStackContext(
  infra: Infra,
  options: { fresh?: boolean } = {},
): Promise<StackContext> {
  // A fresh start forgets what an earlier run scaled (instances, remembered CPU quotas).
  if (options.fresh) removeUpstreamsFiles(infra.paths);
  const suffix = databaseSuffix(process.env);
  const ctx: StackContext = {
    paths: infra.paths,
    infraEnv: infra.env,
    databases: {},
    suffix,
    urls: {},
    serviceUrls: {},
  };
  for (const spec of SERVICE_SPECS) {
    if (spec.database)
      ctx.databases[spec.database] = await provisionDatabase(
        infra.env.SURGE_PG_ADMIN_URL,
        `${spec.database}${suffix}`,
      );
    ctx.urls[spec.name] = urlOf(spec);
    if (options.fresh || listedInstanceCount(infra.paths, spec.name) === undefined)
      writeUpstreams(infra.paths, spec.name, [urlOf(spec)]);
    ctx.serviceUrls[spec.name] = upstreamsFileUrl(infra.paths, spec.name);
  }
  // On when this start asked for it, or when a stack started with it still runs Toxiproxy
  // (so `npm run stack -- restart order` keeps order behind its proxies).
  const toxiproxyUrl =
    infra.toxiproxy?.apiUrl ?? (liveRecord(infra.paths, 'toxiproxy') ? toxiproxyApiUrl() : undefined);
  if (toxiproxyUrl) ctx.toxiproxyUrl = toxiproxyUrl;
  return ctx;
}

/**
 * SURGE_DATABASE_SUFFIX gives a stack databases of its own on the same PostgreSQL
 * (`surge_payment_fuzz` for `_fuzz`). Why: a stack that is fed invented data, as the
 * fuzzer's charges for orders that never existed, must not leave it where the auditor of
 * another stack (the journey test's, a developer's) would rightly report it as money
 * without an order. Empty by default: `npm start` and the tests share the surge_* ones.
 */
export function databaseSuffix(env: NodeJS.ProcessEnv): string {
  const suffix = env.SURGE_DATABASE_SUFFIX ?? '';
  if (!/^[a-z0-9_]{0,20}$/.test(suffix))
    throw new Error(
      `SURGE_DATABASE_SUFFIX=${JSON.stringify(suffix)}: use at most 20 of a-z, 0-9 and _ (it ends a database name)`,
    );
  return suffix;
}
