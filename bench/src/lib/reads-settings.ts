/**
 * The service-reads benchmark's own knobs. The product service's reads keep the shared
 * settings (BENCH_SECONDS, BENCH_REPEATS): they carry the goal. Every other
 * service's read has no goal and gets shorter runs, so that the whole benchmark stays
 * within a few minutes of `npm run bench -- all`.
 */
export const READS_SERVICES = ['product', 'user', 'order', 'payment', 'notification'] as const;
export type ReadsService = (typeof READS_SERVICES)[number];

export interface ReadsSettings {
  /** The services measured, in table order (BENCH_READS_SERVICES, comma-separated; all by default). */
  services: ReadsService[];
  /** Length of each measured run of a service other than product (BENCH_READS_SECONDS). */
  otherSeconds: number;
  /** Warm-up before them: at most this and BENCH_WARMUP_SECONDS. */
  otherWarmupSeconds: number;
}

export function readReadsSettings(
  env: NodeJS.ProcessEnv = process.env,
  shared: { seconds: number; warmupSeconds: number } = { seconds: 20, warmupSeconds: 5 },
): ReadsSettings {
  const raw = env.BENCH_READS_SERVICES?.trim();
  const named = raw
    ? raw
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
    : [...READS_SERVICES];
  const unknown = named.filter((name) => !(READS_SERVICES as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(
      `BENCH_READS_SERVICES names no such service: ${unknown.join(', ')} (known: ${READS_SERVICES.join(', ')})`,
    );
  const secondsRaw = env.BENCH_READS_SECONDS;
  const seconds = secondsRaw === undefined || secondsRaw === '' ? 5 : Number(secondsRaw);
  if (!Number.isFinite(seconds) || seconds < 1)
    throw new Error(`BENCH_READS_SECONDS must be a number of seconds of at least 1, got ${secondsRaw}`);
  return {
    services: READS_SERVICES.filter((name) => named.includes(name)),
    // Never longer than the product's own runs: a short proof run (BENCH_SECONDS=3) stays short.
    otherSeconds: Math.min(seconds, Math.max(1, shared.seconds)),
    otherWarmupSeconds: Math.min(2, shared.warmupSeconds),
  };
}
