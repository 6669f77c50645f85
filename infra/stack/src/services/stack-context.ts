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
  const ctx: StackContext = {
    paths: infra.paths,
    infraEnv: infra.env,
    databases: {},
    urls: {},
    serviceUrls: {},
  };
  for (const spec of SERVICE_SPECS) {
    if (spec.database)
      ctx.databases[spec.database] = await provisionDatabase(infra.env.SURGE_PG_ADMIN_URL, spec.database);
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
