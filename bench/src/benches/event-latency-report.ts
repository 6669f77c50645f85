import { fmt, table, type BenchReport, type GoalCheck } from '../lib/report';
import type { BenchSettings } from '../lib/settings';
import { latencyRows, type Latencies } from './event-latency-figures';

/** Issue 13's events goal: outbox commit to consumer effect, p99, at each rate. */
const P99_GOAL_MS = 100;

/** Consumer modes: `batch` (an inbox handler: a transaction per batch) and `per-message` (one each). */
export type Mode = 'batch' | 'per-message';

/** One consumer mode at one rate. */
export interface Run {
  mode: Mode;
  rate: number;
  achieved: number;
  events: number;
  latencies: Latencies;
  missing: number;
  /** Commits that failed (a busy machine's pool timeouts); not in the figures. */
  failed: number;
  /** Outbox row created to marked published: the relay's share, from the outbox's own clock. */
  relay: { p50: number; p90: number; p99: number; max: number };
}

export function buildReport(settings: BenchSettings, runs: Run[]): BenchReport {
  const figures = runs.map((run) => ({ run, rows: latencyRows(run.latencies) }));
  // The goal is judged on the batch consumer, the one services use; per-message is the comparison.
  const goalRuns = figures.filter(({ run }) => run.mode === 'batch');
  const goals: GoalCheck[] = (goalRuns.length > 0 ? goalRuns : figures).map(({ run, rows }) => ({
    statement: `outbox commit to consumer effect, p99 at ${fmt(run.rate)} events/s (${run.mode})`,
    // Events never applied within 30 s count as a miss of the goal, not as absent.
    measured: run.missing > 0 ? Number.POSITIVE_INFINITY : rows.effect.p99,
    target: P99_GOAL_MS,
    better: 'lower',
    unit: 'ms',
  }));
  const latencyTable = table([
    ['consumer', 'rate (achieved)', 'from commit to', 'events', 'p50', 'p90', 'p99', 'max'],
    ...figures.flatMap(({ run, rows }) => [
      [
        run.mode,
        `${fmt(run.rate)}/s (${fmt(run.achieved)})`,
        'the handler called (relay + Kafka + queue)',
        rows.delivery.count,
        rows.delivery.p50,
        rows.delivery.p90,
        rows.delivery.p99,
        rows.delivery.max,
      ],
      [
        run.mode,
        `${fmt(run.rate)}/s`,
        'marked published by the relay (outbox row created → marked)',
        '',
        run.relay.p50,
        run.relay.p90,
        run.relay.p99,
        run.relay.max,
      ],
      [
        run.mode,
        `${fmt(run.rate)}/s`,
        'the effect committed (end to end)',
        rows.effect.count,
        rows.effect.p50,
        rows.effect.p90,
        rows.effect.p99,
        rows.effect.max,
      ],
    ]),
  ]);
  const missing = runs.map((run) => `${run.mode} at ${fmt(run.rate)}/s: ${run.missing}`).join(', ');
  const failed = runs.reduce((sum, run) => sum + run.failed, 0);
  return {
    name: 'event-latency',
    title: 'Event latency: outbox commit to consumer effect',
    summary:
      `\`product.updated\` events at ${rates(runs)} events/s, each committed in its own transaction through ` +
      '`appendToOutbox`, published by the `OutboxRelay` (woken by NOTIFY at commit), consumed by an ' +
      '`EventConsumer` in a fresh group per run that applies each event with an inbox row and an effect row: ' +
      'the `batch` consumer applies a partition batch in one transaction (one inbox statement for the batch), ' +
      'the `per-message` one opens a transaction per message. Real PostgreSQL and Kafka of the native stack; ' +
      `each run is ${settings.seconds} s measured after ${Math.max(settings.warmupSeconds, 2)} s of warm-up.`,
    goals,
    sections: [
      {
        heading: 'Latency (ms)',
        markdown: [
          latencyTable,
          '',
          `Events not applied within 30 s after the last commit: ${missing}. When the latency grows through ` +
            'a run, the consumer or the relay is slower than the rate and a backlog builds: the first row of ' +
            'a run against the last says which (the handler called late means relay, Kafka or queueing). ' +
            `Commits that failed on the producing side (pool timeouts of a busy machine): ${failed}.`,
        ].join('\n'),
      },
    ],
    data: {
      runs: figures.map(({ run, rows }) => ({
        mode: run.mode,
        rate: run.rate,
        achievedRate: run.achieved,
        events: run.events,
        effect: rows.effect,
        delivery: rows.delivery,
        missing: run.missing,
        failed: run.failed,
        relay: run.relay,
      })),
    },
    settings,
  };
}

function rates(runs: Run[]): string {
  return [...new Set(runs.map((run) => fmt(run.rate)))].join(' and ');
}
