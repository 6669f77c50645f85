import { parse } from 'yaml';

import {
  REDIS_SERVICE_USERS,
  redisAclFile,
  redisDevPassword,
  redisServiceRules,
} from '../src/native/redis-acl';
import { SERVICE_SPECS } from '../src/services/service-specs';
import { NATIVE_CONTEXT, loadCompose, read } from './deploy-manifests';

/**
 * The Redis ACL users are written down in four places (the native stack's table, the
 * compose file, its copy in the dev overlay, k8s/create-secrets.sh): one set of rules,
 * checked here, so the isolation redis-acl.test.ts proves natively holds in every mode.
 */
const expectedFile = redisAclFile(redisDevPassword);
const SERVICES = REDIS_SERVICE_USERS.map((user) => user.name);

describe('the Redis ACL files', () => {
  it('compose mounts the users of the native stack, with their development passwords', () => {
    expect(read('infra/compose/redis/users.acl')).toBe(expectedFile);
  });

  it('the Kubernetes dev overlay has the same file', () => {
    expect(read('k8s/overlays/dev/redis/users.acl')).toBe(expectedFile);
  });

  it('k8s/create-secrets.sh gives production users the same rules', () => {
    const script = read('k8s/create-secrets.sh');
    const variable = (name: string) => new RegExp(`^${name}="([^"]*)"$`, 'm').exec(script)?.[1];
    const scripted = /gateway \| product\) scripting=/.exec(script)?.[0] ?? '';
    expect(variable('REDIS_SERVICES')?.split(' ').sort()).toEqual([...SERVICES].sort());
    for (const user of REDIS_SERVICE_USERS) {
      const scripting = scripted.includes(user.name) ? `${variable('REDIS_SCRIPTING_RULES')} ` : '';
      const rules = `resetkeys ~${user.name}:* resetchannels ${variable('REDIS_COMMON_RULES')} ${scripting}${variable('REDIS_TAIL_RULES')}`;
      expect([user.name, rules]).toEqual([user.name, redisServiceRules(user).join(' ')]);
    }
    expect(script).toContain('echo "user default off resetpass resetkeys resetchannels -@all"');
  });
});

describe('each service’s REDIS_URL', () => {
  const redisServices = SERVICE_SPECS.filter((spec) => 'REDIS_URL' in spec.env(NATIVE_CONTEXT));

  it('names a user of its own in the native stack', () => {
    expect(redisServices.map((spec) => spec.name).sort()).toEqual([...SERVICES].sort());
  });

  it('logs in as the service’s own user in compose', () => {
    const compose = loadCompose();
    for (const spec of redisServices) {
      const url = new URL(compose.services[spec.name]?.environment?.REDIS_URL ?? 'redis://none');
      expect([spec.name, url.username, url.password]).toEqual([
        spec.name,
        spec.name,
        redisDevPassword(spec.name),
      ]);
    }
  });

  it('logs in as the service’s own user in the Kubernetes dev overlay', () => {
    const overlay = parse(read('k8s/overlays/dev/kustomization.yaml')) as {
      secretGenerator: Array<{ name: string; literals?: string[] }>;
    };
    for (const spec of redisServices) {
      const literal = overlay.secretGenerator
        .find((secret) => secret.name === `${spec.name}-redis`)
        ?.literals?.find((entry) => entry.startsWith('REDIS_URL='));
      const url = new URL((literal ?? 'REDIS_URL=redis://none').slice('REDIS_URL='.length));
      expect([spec.name, url.username, url.password]).toEqual([
        spec.name,
        spec.name,
        redisDevPassword(spec.name),
      ]);
    }
  });
});
