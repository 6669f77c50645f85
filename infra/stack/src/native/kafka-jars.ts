import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { aptInstall } from './apt';
import { runCommand, versionOf, which } from './exec';
import { InfraError, type Log } from './log';
import { KAFKA_VERSION, type SurgePaths, logFile, pretty } from './paths';
import { commandLine, tailFile } from './process';

export const JAVA_PACKAGE = 'openjdk-17-jre-headless';
export const MAVEN_PACKAGE = 'maven';
/** Kafka 4.x brokers need Java 17 or later. */
const JAVA_MIN_MAJOR = 17;

/** `java` on PATH when it is new enough; installs a JRE with apt otherwise. */
export async function ensureJava(paths: SurgePaths, log: Log, sink: Log): Promise<string> {
  const found = findJava();
  if (found) return found;
  log(`no Java ${JAVA_MIN_MAJOR}+ found`);
  await aptInstall([JAVA_PACKAGE], { log: sink, paths, component: 'kafka' });
  const installed = findJava();
  if (!installed)
    throw new InfraError(
      'kafka',
      `installed ${JAVA_PACKAGE} but still no Java ${JAVA_MIN_MAJOR}+`,
      'put a Java 17+ `java` on PATH',
    );
  return installed;
}

function findJava(): string | null {
  const java = which('java');
  if (!java) return null;
  // `java -version` prints e.g.: openjdk version "17.0.15" 2025-04-15
  const major = Number(/version "(\d+)/.exec(versionOf(java, '-version') ?? '')?.[1] ?? 0);
  return major >= JAVA_MIN_MAJOR ? java : null;
}

/**
 * The broker's jars, fetched once by Maven from infra/stack/kafka/pom.xml into
 * ~/.cache/surge/kafka-<version>/libs and reused by every clone and every start.
 * A stamp holding the pom's hash (comments and layout ignored) makes a changed
 * dependency list (say, a new log4j) fetch again. Jars a running broker uses are never
 * replaced: the new set then goes to libs-<hash> beside them.
 */
export async function ensureKafkaJars(paths: SurgePaths, log: Log, sink: Log): Promise<string> {
  const hash = pomHash(paths.kafkaPom);
  const stamp = path.join(paths.kafkaCacheDir, 'pom.sha256');
  if (readOr(stamp) === hash && hasKafkaJar(paths.kafkaLibs)) return paths.kafkaLibs;
  const alternate = path.join(paths.kafkaCacheDir, `libs-${hash.slice(0, 12)}`);
  if (hasKafkaJar(alternate)) return alternate;

  if (!which('mvn')) {
    log('Maven is needed once to fetch the Kafka jars and is not installed');
    await aptInstall([MAVEN_PACKAGE], { log: sink, paths, component: 'kafka' });
  }
  // Fetch into a private directory and rename it into place, so an interrupted download
  // (or a second process fetching at the same time) never leaves a half-filled libs/.
  fs.mkdirSync(paths.kafkaCacheDir, { recursive: true });
  const staging = `${paths.kafkaLibs}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const mvnLog = logFile(paths, 'kafka-mvn');
  log(
    `fetching Apache Kafka ${KAFKA_VERSION} jars with Maven into ${pretty(paths.kafkaLibs)} (once; about 45 MB; log: ${mvnLog})`,
  );
  const started = Date.now();
  const res = await runCommand(
    'mvn',
    [
      '-B',
      '-q',
      '-Dstyle.color=never',
      '-f',
      paths.kafkaPom,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${staging}`,
    ],
    { cwd: path.dirname(paths.kafkaPom), logFile: mvnLog, heartbeat: { log, what: 'fetching Kafka jars' } },
  );
  if (res.code !== 0 || !hasKafkaJar(staging)) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new InfraError(
      'kafka',
      `Maven could not fetch the Kafka jars (exit ${res.code}):\n${tailFile(mvnLog, 20)}`,
      `check that the Maven repository is reachable (mvn -f ${paths.kafkaPom} dependency:copy-dependencies), see ${mvnLog}`,
    );
  }
  const count = fs.readdirSync(staging).length;
  log(`fetched ${count} jars in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (readOr(stamp) === hash && hasKafkaJar(paths.kafkaLibs)) {
    // Another clone finished the same download first.
    fs.rmSync(staging, { recursive: true, force: true });
    return paths.kafkaLibs;
  }
  if (hasKafkaJar(paths.kafkaLibs) && inUse(paths.kafkaLibs)) {
    // A broker (maybe another clone's, at another commit) runs from libs/: deleting jars
    // it has not opened yet would break it later. Keep both sets.
    fs.rmSync(alternate, { recursive: true, force: true });
    fs.renameSync(staging, alternate);
    return alternate;
  }
  fs.rmSync(paths.kafkaLibs, { recursive: true, force: true });
  fs.renameSync(staging, paths.kafkaLibs);
  fs.writeFileSync(stamp, hash);
  return paths.kafkaLibs;
}

/** Hash of the pom without comments and whitespace: editing a comment must not refetch. */
function pomHash(pom: string): string {
  const text = fs
    .readFileSync(pom, 'utf8')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\s+/g, '');
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** Does a running process have this directory on its command line (a broker's classpath)? */
function inUse(dir: string): boolean {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return false; // no /proc: cannot tell, and replacing is what we did before
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    if ((commandLine(Number(entry)) ?? '').includes(`${dir}/*`)) return true;
  }
  return false;
}

function hasKafkaJar(dir: string): boolean {
  return fs.existsSync(path.join(dir, `kafka_2.13-${KAFKA_VERSION}.jar`));
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
