import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import {
  type BaseHandle,
  type EnsureOptions,
  type Resolved,
  portFromEnv,
  readyOrStop,
  resolveOptions,
  stopPid,
  stopRecorded,
} from './daemon';
import { runCommand } from './exec';
import { ensureJava, ensureKafkaJars } from './kafka-jars';
import {
  type KafkaCredentials,
  hasScramMarker,
  adminClient,
  adminCredentials,
  formatScramArgs,
  nativePrincipals,
  provisionKafkaAccess,
  securityProperties,
  writeScramMarker,
} from './kafka-security';
import { InfraError, type Log, componentLog, consoleLog, errorMessage } from './log';
import { KAFKA_VERSION, type SurgePaths, logFile, surgePaths } from './paths';
import { ensureDaemon, spawnOwnDaemon } from './own-daemon';
import { describePortOwner, isPortOpen } from './ports';

export const KAFKA_HOST = '127.0.0.1';
export const KAFKA_DEFAULT_PORT = 9092;
/** A one-partition topic our readiness check creates and reads back. */
export const READY_TOPIC = 'surge.infra.ready';

export interface KafkaHandle extends BaseHandle {
  component: 'kafka';
  brokers: string[];
  /** KRaft controller port of our own broker; null when the broker is not ours. */
  controllerPort: number | null;
  clusterId: string;
}

/**
 * Makes a Kafka reachable: KAFKA_BROKERS if set; else the broker this project already
 * runs; else a broker on the port that kafkajs can describe; else our own single-node
 * KRaft broker (Kafka 4.1.1 jars from Maven, data in .surge/kafka). SURGE_KAFKA_PORT
 * moves our broker (and where we look for one) off 9092, e.g. to run a second one.
 *
 * Every broker is used through SASL/SCRAM-SHA-512 as the admin principal (its password:
 * SURGE_KAFKA_ADMIN_PASSWORD, default the development one), and provisioned before it is
 * handed out: topics created, service ACLs made those of KAFKA_ACCESS (kafka-security.ts).
 */
export async function ensureKafka(opts: EnsureOptions = {}): Promise<KafkaHandle> {
  const o = resolveOptions('kafka', opts, 90_000);
  const external = o.env['KAFKA_BROKERS'];
  if (external) return useExternal(parseBrokers(external), o);
  const port = portFromEnv(o.env, 'SURGE_KAFKA_PORT', KAFKA_DEFAULT_PORT);
  const controllerPort = portFromEnv(o.env, 'SURGE_KAFKA_CONTROLLER_PORT', port + 1);
  const brokers = [`${KAFKA_HOST}:${port}`];
  return ensureDaemon(o, {
    component: 'kafka',
    host: KAFKA_HOST,
    port,
    portEnv: 'SURGE_KAFKA_PORT',
    reuseOurs: async (record) => {
      const info = await describeCluster(brokers, adminCredentials(o.env));
      await provisionKafkaAccess(brokers, adminCredentials(o.env));
      o.log(
        `reusing the broker Surge process ${record.startedBy.pid} started (pid ${record.pid}) on ${brokers[0]}`,
      );
      return handle(brokers, port, record.ports[1] ?? null, info.clusterId, 'ours-running', record.pid);
    },
    reuseExisting: () => reuseExisting(brokers, port, o),
    startOwn: async () => {
      if (await isPortOpen(KAFKA_HOST, controllerPort)) {
        throw new InfraError(
          'kafka',
          `the controller port ${KAFKA_HOST}:${controllerPort} is already taken${describePortOwner(controllerPort)}`,
          'set SURGE_KAFKA_CONTROLLER_PORT to a free port',
        );
      }
      return startOwn(brokers, port, controllerPort, o);
    },
  });
}

async function useExternal(brokers: string[], o: Resolved): Promise<KafkaHandle> {
  try {
    const info = await describeCluster(brokers, adminCredentials(o.env));
    await provisionKafkaAccess(brokers, adminCredentials(o.env));
    o.log(`using KAFKA_BROKERS (${brokers.join(',')}, cluster ${info.clusterId}); nothing to start`);
    const [host, port] = splitBroker(brokers[0] ?? '');
    return { ...handle(brokers, port, null, info.clusterId, 'external', null), host };
  } catch (err) {
    throw new InfraError(
      'kafka',
      `cannot use KAFKA_BROKERS: ${errorMessage(err)}`,
      'fix it (Surge needs SASL/SCRAM-SHA-512 and the admin principal surge-admin, password SURGE_KAFKA_ADMIN_PASSWORD), or unset it to let Surge run its own Kafka',
    );
  }
}

async function reuseExisting(brokers: string[], port: number, o: Resolved): Promise<KafkaHandle> {
  try {
    const info = await describeCluster(brokers, adminCredentials(o.env));
    await provisionKafkaAccess(brokers, adminCredentials(o.env));
    o.log(
      `reusing the Kafka broker already listening on ${brokers[0]} (cluster ${info.clusterId}; not started by us, will not be stopped)`,
    );
    return handle(brokers, port, null, info.clusterId, 'existing', null);
  } catch (err) {
    throw new InfraError(
      'kafka',
      `port ${KAFKA_HOST}:${port} is taken by something that does not answer as a Kafka broker with SASL/SCRAM and ACLs${describePortOwner(port)}: ${errorMessage(err)}`,
      `a broker started before Surge's Kafka had SASL must be restarted (\`npm run stack -- down\` in the checkout that started it, then start again); or set SURGE_KAFKA_PORT=${port + 10} to run Surge's own Kafka elsewhere`,
    );
  }
}

async function startOwn(
  brokers: string[],
  port: number,
  controllerPort: number,
  o: Resolved,
): Promise<KafkaHandle> {
  const java = await ensureJava(o.paths, o.log, o.sink);
  const libs = await ensureKafkaJars(o.paths, o.log, o.sink);
  const classpath = `${libs}/*`;
  const admin = adminCredentials(o.env);
  const props = writeServerProperties(o.paths, port, controllerPort, admin);
  const jvmLogging = [
    `-Dlog4j2.configurationFile=${o.paths.kafkaLog4j}`,
    `-Dkafka.logs.dir=${o.paths.logsDir}`,
  ];
  const principals = nativePrincipals(o.env);
  const clusterId = await formatStorage(java, classpath, jvmLogging, props, principals, o);

  const log = logFile(o.paths, 'kafka');
  o.log(
    `starting Apache Kafka ${KAFKA_VERSION} (KRaft, cluster ${clusterId}) on ${brokers[0]}, controller ${KAFKA_HOST}:${controllerPort} (log: ${log})`,
  );
  const started = Date.now();
  const { pid } = await spawnOwnDaemon(o, {
    component: 'kafka',
    host: KAFKA_HOST,
    ports: [port, controllerPort],
    marker: props,
    spawn: {
      command: java,
      args: [
        // One development broker with a handful of small topics lives in a few tens of MB of
        // heap; Kafka's launcher defaults (G1 with a 1 GB heap) are for production brokers.
        // The serial collector has no G1 remembered sets or concurrent threads to pay for,
        // and its pauses on a heap this small are a few ms (docs/benchmarks.md, footprint).
        '-Xms32m',
        '-Xmx256m',
        '-XX:+UseSerialGC',
        '-XX:MaxMetaspaceSize=128m',
        '-XX:ReservedCodeCacheSize=64m',
        '-Xss512k',
        '-Djava.awt.headless=true',
        ...jvmLogging,
        '-cp',
        classpath,
        'kafka.Kafka',
        props,
      ],
      cwd: o.paths.kafkaDir,
      logFile: log,
    },
    ready: () => roundTrip(brokers, admin),
    what: `the broker on ${brokers[0]} to create and describe a topic`,
    intervalMs: 500,
  });
  await readyOrStop(o, 'kafka', pid, provisionKafkaAccess(brokers, admin));
  o.log(
    `ready on ${brokers[0]} (SASL/SCRAM-SHA-512, ACLs on) in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${pid})`,
  );
  return handle(brokers, port, controllerPort, clusterId, 'started', pid);
}

/**
 * Regenerated on every start so port changes apply. Static voters (not the dynamic
 * `--standalone` quorum) because they keep no endpoint in the metadata log, so changing
 * SURGE_KAFKA_CONTROLLER_PORT later still works with the same data.
 */
function writeServerProperties(
  paths: SurgePaths,
  port: number,
  controllerPort: number,
  admin: KafkaCredentials,
): string {
  fs.mkdirSync(paths.kafkaData, { recursive: true });
  const file = path.join(paths.kafkaDir, 'server.properties');
  const esc = (v: string): string => v.replace(/\\/g, '\\\\');
  const lines = [
    '# Generated by infra/stack/src/native/kafka.ts on every start: edits are overwritten.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${KAFKA_HOST}:${controllerPort}`,
    `listeners=SASL_PLAINTEXT://${KAFKA_HOST}:${port},CONTROLLER://${KAFKA_HOST}:${controllerPort}`,
    `advertised.listeners=SASL_PLAINTEXT://${KAFKA_HOST}:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=SASL_PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
    ...securityProperties(admin),
    `log.dirs=${esc(paths.kafkaData)}`,
    'num.partitions=6',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    // 50 partitions (the default) make the first group join on a fresh cluster take seconds.
    'offsets.topic.num.partitions=6',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Services create their topics with explicit partition counts; a typo in a topic name
    // must fail loudly rather than create a stray topic.
    'auto.create.topics.enable=false',
    // A single-member test group should not wait 3 s for others to join.
    'group.initial.rebalance.delay.ms=0',
    '',
  ];
  // It holds the admin password: readable by its owner only.
  fs.writeFileSync(file, lines.join('\n'), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}

/**
 * Formats the log dir once, with every principal's SCRAM credentials; returns the cluster
 * id (kept in .surge/kafka/cluster-id).
 *
 * A data directory formatted before the broker had SASL has no credentials, and Kafka
 * stores the first ones only at format time or through an authenticated broker (the
 * controller listener refuses AlterUserScramCredentials), so nobody could ever log in to
 * it. It holds development data only (the outboxes keep what was published): it is moved
 * aside, not deleted, and a fresh one formatted.
 */
async function formatStorage(
  java: string,
  classpath: string,
  jvmLogging: string[],
  props: string,
  principals: KafkaCredentials[],
  o: Resolved,
): Promise<string> {
  const meta = path.join(o.paths.kafkaData, 'meta.properties');
  if (fs.existsSync(meta) && !hasScramMarker(o.paths, principals)) {
    const aside = `${o.paths.kafkaData}.before-sasl-${Date.now()}`;
    o.log(`${o.paths.kafkaData} was formatted without SCRAM credentials (before SASL): moved to ${aside}`);
    fs.renameSync(o.paths.kafkaData, aside);
    fs.mkdirSync(o.paths.kafkaData, { recursive: true });
  }
  if (fs.existsSync(meta)) {
    const id = /^cluster\.id=(.+)$/m.exec(fs.readFileSync(meta, 'utf8'))?.[1]?.trim();
    if (id) return id;
  }
  const clusterId = randomKafkaUuid();
  fs.writeFileSync(path.join(o.paths.kafkaDir, 'cluster-id'), `${clusterId}\n`);
  o.log(`formatting ${o.paths.kafkaData} (cluster id ${clusterId})`);
  const formatLog = logFile(o.paths, 'kafka-format');
  const res = await runCommand(
    java,
    [
      ...jvmLogging,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '--ignore-formatted',
      '-t',
      clusterId,
      '-c',
      props,
      ...formatScramArgs(principals),
    ],
    // The log gets the command line; the passwords in it are the published development ones.
    { cwd: o.paths.kafkaDir, logFile: formatLog },
  );
  if (res.code !== 0) {
    throw new InfraError(
      'kafka',
      `formatting the storage failed (exit ${res.code}):\n${res.output.trim()}`,
      `see ${formatLog}; to start over: rm -rf ${o.paths.kafkaDir}`,
    );
  }
  writeScramMarker(o.paths, principals);
  return clusterId;
}

/**
 * Same format as `kafka-storage random-uuid` (Kafka's Uuid.randomUuid): 16 random bytes,
 * URL-safe base64 without padding, never starting with '-' (it would parse as a flag).
 * Generated here because a JVM start just for that costs a second or two.
 */
export function randomKafkaUuid(): string {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function parseBrokers(list: string): string[] {
  return list
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

function splitBroker(broker: string): [string, number] {
  const i = broker.lastIndexOf(':');
  return i < 0 ? [broker, KAFKA_DEFAULT_PORT] : [broker.slice(0, i), Number(broker.slice(i + 1))];
}

function handle(
  brokers: string[],
  port: number,
  controllerPort: number | null,
  clusterId: string,
  source: KafkaHandle['source'],
  pid: number | null,
): KafkaHandle {
  return {
    component: 'kafka',
    host: KAFKA_HOST,
    port,
    pid,
    startedByUs: source === 'started',
    source,
    brokers,
    controllerPort,
    clusterId,
  };
}

export async function describeCluster(
  brokers: string[],
  credentials: KafkaCredentials = adminCredentials(),
): Promise<{ clusterId: string; brokerCount: number }> {
  // Quiet and no retries: the caller polls, and connection errors while the broker boots are expected.
  const admin = adminClient(brokers, credentials).admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    return { clusterId: cluster.clusterId, brokerCount: cluster.brokers.length };
  } finally {
    await admin.disconnect();
  }
}

/** Broker answers, and can create a topic and elect its leader (i.e. the controller works). */
async function roundTrip(brokers: string[], credentials: KafkaCredentials): Promise<boolean> {
  const admin = adminClient(brokers, credentials).admin();
  await admin.connect();
  try {
    await admin.describeCluster();
    await admin.createTopics({
      topics: [{ topic: READY_TOPIC, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    const meta = await admin.fetchTopicMetadata({ topics: [READY_TOPIC] });
    return (meta.topics[0]?.partitions[0]?.leader ?? -1) >= 0;
  } finally {
    await admin.disconnect();
  }
}

/** Stops the broker only when this handle started it. */
export async function stopKafka(
  handle: KafkaHandle,
  opts: { log?: Log; paths?: SurgePaths } = {},
): Promise<void> {
  if (!handle.startedByUs || handle.pid === null) return;
  const log = componentLog(opts.log ?? consoleLog, 'kafka');
  const paths = opts.paths ?? surgePaths();
  const result = await stopRecorded(paths, 'kafka', log, handle.pid);
  if (result === 'no-record')
    await stopPid('kafka', handle.pid, path.join(paths.kafkaDir, 'server.properties'), log);
}
