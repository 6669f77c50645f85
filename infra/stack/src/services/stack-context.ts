import { provisionDatabase, type Infra } from '../native/infra';
import { SERVICE_SPECS, urlOf, type StackContext } from './service-specs';

/** Databases provisioned (idempotent) and every service's address: what services start with. */
export async function buildStackContext(infra: Infra): Promise<StackContext> {
  const ctx: StackContext = { paths: infra.paths, infraEnv: infra.env, databases: {}, urls: {} };
  for (const spec of SERVICE_SPECS) {
    if (spec.database)
      ctx.databases[spec.database] = await provisionDatabase(infra.env.SURGE_PG_ADMIN_URL, spec.database);
    ctx.urls[spec.name] = urlOf(spec);
  }
  return ctx;
}
