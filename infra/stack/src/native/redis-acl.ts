import { createHash } from 'node:crypto';

/**
 * Redis ACL users: one per service that uses Redis, each limited to its own key prefix
 * and to the commands it needs, so a compromised or buggy service cannot read another's
 * sessions, empty another's carts or flush the whole server (docs/security.md). The one
 * table the native stack (aclfile and ACL SETUSER), docker compose
 * (infra/compose/redis/users.acl) and the Kubernetes dev overlay (a copy of it) follow;
 * infra/stack/test/redis-acl-files.test.ts keeps the committed files equal to it.
 */
export interface RedisServiceUser {
  /** ACL user name, also the first segment of every key it may touch (`<name>:`). */
  name: string;
  /** EVAL/EVALSHA for atomic Lua (the gateway's counters, product's put-if-newer). */
  scripting: boolean;
  /** What it keeps there, for docs and error messages. */
  keeps: string;
}

export const REDIS_SERVICE_USERS: readonly RedisServiceUser[] = [
  { name: 'gateway', scripting: true, keeps: 'rate-limit counters (gateway:rl:*)' },
  { name: 'user', scripting: false, keeps: 'profile cache and login throttle counters (user:*)' },
  { name: 'product', scripting: true, keeps: 'catalog cache and its stale copies (product:*)' },
  { name: 'order', scripting: false, keeps: 'carts (order:cart:*)' },
  { name: 'storefront', scripting: false, keeps: 'sessions and flash messages (storefront:session:*)' },
];

/** The native stack's and the tests' user for setup and assertions: every key and command. */
export const REDIS_ADMIN_USER = 'admin';
/**
 * PING only, no password: what health checks (compose, Kubernetes probes) log in as, so a
 * probe needs no secret and can do nothing else.
 */
export const REDIS_HEALTHCHECK_USER = 'healthcheck';

/** Suffix of every development Redis password; parseConfig refuses it in production. */
export const REDIS_DEV_PASSWORD_SUFFIX = '-redis-dev-password';

/** The development password of a Redis user (native stack, compose, dev overlay). */
export function redisDevPassword(user: string): string {
  return `${user}${REDIS_DEV_PASSWORD_SUFFIX}`;
}

/** Redis keeps passwords of ACL files as `#<sha256 hex>`: the file then holds no secret. */
export function redisPasswordHash(password: string): string {
  return createHash('sha256').update(password).digest('hex');
}

/**
 * The rules after the password. Order matters: categories are added, then the dangerous
 * and administrative commands taken back (FLUSHALL, KEYS, CONFIG, DEBUG, CLIENT KILL...),
 * then the commands that would list other services' key names (SCAN, RANDOMKEY, whose
 * answers no key pattern filters) and global script state. INFO is given back: ioredis
 * asks it once per connection to learn that Redis finished loading.
 */
export function redisServiceRules(user: RedisServiceUser): string[] {
  return [
    'resetkeys',
    `~${user.name}:*`,
    // No pub/sub: no service publishes or subscribes.
    'resetchannels',
    '-@all',
    '+@connection',
    '+@transaction',
    '+@read',
    '+@write',
    ...(user.scripting ? ['+@scripting', '-function', '-script|flush', '-script|kill'] : []),
    '-@dangerous',
    '-@admin',
    '-scan',
    '-randomkey',
    '+info',
  ];
}

export const REDIS_ADMIN_RULES = ['~*', '&*', '+@all'];
export const REDIS_HEALTHCHECK_RULES = ['resetkeys', 'resetchannels', '-@all', '+ping'];

/**
 * An ACL file: `default` off (an unauthenticated client gets NOAUTH), the admin, the
 * health check user and every service user, with passwords by user name.
 */
export function redisAclFile(passwords: (user: string) => string): string {
  const line = (name: string, rules: string[]) =>
    `user ${name} on #${redisPasswordHash(passwords(name))} ${rules.join(' ')}`;
  // No comment line: Redis refuses an ACL file with anything but `user` lines.
  return [
    'user default off resetpass resetkeys resetchannels -@all',
    line(REDIS_ADMIN_USER, REDIS_ADMIN_RULES),
    `user ${REDIS_HEALTHCHECK_USER} on nopass ${REDIS_HEALTHCHECK_RULES.join(' ')}`,
    ...REDIS_SERVICE_USERS.map((user) => line(user.name, redisServiceRules(user))),
    '',
  ].join('\n');
}

/** The same server as `url`, logged in as `user` with `password`. */
export function redisUrlAs(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString().replace(/\/$/, '');
}

/**
 * A service's REDIS_URL for the native stack and the tests: the infrastructure's address,
 * the service's own user and development password.
 */
export function redisServiceUrl(adminUrl: string, service: string): string {
  return redisUrlAs(adminUrl, service, redisDevPassword(service));
}

/** `SURGE_REDIS_URL_<SERVICE>`: how the jest global setup hands a service's URL to tests. */
export function redisServiceUrlVariable(service: string): string {
  return `SURGE_REDIS_URL_${service.toUpperCase().replace(/-/g, '_')}`;
}
