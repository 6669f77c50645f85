/**
 * Prints, as JSON, where the native stack's own builds of Jaeger, Mailpit and the Kafka
 * jars are (building or fetching them first, once, exactly as `npm start` does). The
 * container checks copy them into the stand-in images, so a machine without an image
 * registry runs the same versions in containers as natively.
 *
 *   tsx infra/containers/native-artifacts.ts
 */
import { resolveOptions } from '../stack/src/native/daemon';
import { ensureJaegerBinary } from '../stack/src/native/jaeger-binary';
import { ensureKafkaJars } from '../stack/src/native/kafka-jars';
import { ensureMailpitBinary } from '../stack/src/native/mailpit';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function main(): Promise<void> {
  const jaeger = await ensureJaegerBinary(resolveOptions('jaeger', { log }, 0));
  const mailpitOptions = resolveOptions('mailpit', { log }, 0);
  const mailpit = await ensureMailpitBinary(mailpitOptions);
  const { paths } = mailpitOptions;
  const kafkaLibs = await ensureKafkaJars(paths, log, log);
  process.stdout.write(`${JSON.stringify({ jaeger, mailpit, kafkaLibs, kafkaLog4j: paths.kafkaLog4j })}\n`);
}

main().catch((err: unknown) => {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
