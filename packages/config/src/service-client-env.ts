import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * OAuth 2.0 client credentials of the services (docs/security.md, "Trust between
 * services"). A service that calls another's internal routes holds its own
 * `SERVICE_CLIENT_SECRET`; the user service, which issues the tokens, holds every
 * client's secret, or better its SHA-256 digest, in `SERVICE_CLIENT_SECRETS`:
 *
 *   SERVICE_CLIENT_SECRETS=order=sha256:<64 hex digits>,notification=<secret>
 *
 * Development derives a published value per service (`surge-<name>-dev-client-secret`,
 * as database passwords are `<role>-dev-password`); production refuses to start without
 * configured secrets, with one of the published values, or with one shorter than
 * MIN_PRODUCTION_SECRET_LENGTH.
 */
export const developmentClientSecret = (service: string): string => `surge-${service}-dev-client-secret`;

export const DEVELOPMENT_CLIENT_SECRET_PATTERN = /^surge-[a-z0-9-]+-dev-client-secret$/;

/** 32 characters of `openssl rand -base64` and the like: far beyond guessing at any rate limit. */
export const MIN_PRODUCTION_SECRET_LENGTH = 32;

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** One client's stored credential: the digest of its secret, never compared as text. */
export interface ClientCredential {
  /** SHA-256 of the secret, hex. */
  digest: string;
  /** The secret was given as such (not as a digest), so production can judge its strength. */
  secretLength: number | undefined;
  isDevelopmentValue: boolean;
}

const clientName = /^[a-z][a-z0-9-]{0,31}$/;
const digestForm = /^sha256:([0-9a-f]{64})$/i;

/** The digests of every published development secret a name list could hold. */
const developmentDigest = (name: string) => sha256Hex(developmentClientSecret(name));

/** `name=secret|sha256:hex,...` → client name → credential. */
export const clientSecretList = z.string().transform((value, ctx) => {
  const clients: Record<string, ClientCredential> = {};
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, at);
    const secret = entry.slice(at + 1);
    if (at <= 0 || !clientName.test(name) || secret.length === 0) {
      // Never echo the entry: it holds a secret.
      ctx.addIssue({ code: 'custom', message: `an entry is not name=secret or name=sha256:<hex>` });
      continue;
    }
    if (clients[name]) {
      ctx.addIssue({ code: 'custom', message: `client "${name}" is listed twice` });
      continue;
    }
    const digest = digestForm.exec(secret)?.[1]?.toLowerCase();
    clients[name] = digest
      ? { digest, secretLength: undefined, isDevelopmentValue: digest === developmentDigest(name) }
      : {
          digest: sha256Hex(secret),
          secretLength: secret.length,
          isDevelopmentValue: DEVELOPMENT_CLIENT_SECRET_PATTERN.test(secret),
        };
  }
  return clients;
});

/**
 * Production rules for a credential, as issues on `path`: configured, not a published
 * development value, long enough.
 */
export function clientSecretProblems(
  credential: { isDevelopmentValue: boolean; secretLength: number | undefined },
  name: string,
): string[] {
  if (credential.isDevelopmentValue) return [`${name} holds a development client secret`];
  if (credential.secretLength !== undefined && credential.secretLength < MIN_PRODUCTION_SECRET_LENGTH)
    return [`${name} is shorter than ${MIN_PRODUCTION_SECRET_LENGTH} characters`];
  return [];
}
