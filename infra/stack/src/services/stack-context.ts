import { liveRecord } from '../native/daemon';
import { provisionDatabase, type Infra } from '../native/infra';
import { toxiproxyApiUrl } from '../native/toxiproxy';
import { SERVICE_SPECS, urlOf, type StackContext } from './service-specs';

/** Databases provisioned (idempotent) and every service's address: what services start with. */
export async function buildStackContext(infra: Infra): Promise<StackContext> {
  const ctx: StackContext = { paths: infra.paths, infraEnv: infra.env, databases: {}, urls: {} };
  for (const spec of SERVICE_SPECS) {
    if (spec.database)
      ctx.databases[spec.database] = await provisionDatabase(infra.env.SURGE_PG_ADMIN_URL, spec.database);
    ctx.urls[spec.name] = urlOf(spec);
  }
  // On when this start asked for it, or when a stack started with it still runs Toxiproxy
  // (so `pnpm stack restart order` keeps order behind its proxies).
  const toxiproxyUrl =
    infra.toxiproxy?.apiUrl ?? (liveRecord(infra.paths, 'toxiproxy') ? toxiproxyApiUrl() : undefined);
  if (toxiproxyUrl) ctx.toxiproxyUrl = toxiproxyUrl;
  return ctx;
}
