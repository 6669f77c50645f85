import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  deadLetterListSchema,
  deadLetterReplayResultSchema,
  type DeadLetterList,
  type DeadLetterReplayRequest,
  type DeadLetterReplayResult,
} from '@surge/contracts';
import { AddressSource, resolveWithSystemDns } from '@surge/http-client';
import { adminPortFor } from '@surge/http-kit';
import type { Logger } from '@surge/logger';
import { summariseInstance, type InstanceSummary } from '../domain/ops-summary';
import { parsePrometheusText } from '../domain/prometheus-text';

/**
 * Where the operations console reads from: each service's own /metrics and
 * /_control/faults (per instance: `file://` addresses files and DNS names are expanded
 * as the services' clients expand them), the gateway's /health, and the run reports in
 * docs/results. Never a database.
 */
export interface OpsSourcesOptions {
  metricsUrls: Readonly<Record<string, readonly string[]>>;
  controlUrls: Readonly<Record<string, readonly string[]>>;
  gatewayUrl: string;
  jaegerUiUrl: string | undefined;
  resultsDir: string | undefined;
  logger: Logger;
}

const TIMEOUT_MS = 1_500;
/** Listing dead letters reads the dead-letter topics to their end: a consumer group join and a read. */
const DEAD_LETTERS_TIMEOUT_MS = 30_000;

export interface ServiceDeadLetters {
  service: string;
  /** Undefined when the service did not answer; its problem in `error`. */
  list: DeadLetterList | undefined;
  error?: string;
}

/**
 * /metrics and /_control live on each instance's admin listener, never on its public port
 * (docs/security.md): discovery yields the public origin, and the admin port follows from
 * it by the kit's one rule (public port + 1000 unless ADMIN_PORT says otherwise).
 */
export function adminOriginOf(origin: string): string {
  const url = new URL(origin);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  url.port = String(adminPortFor(port));
  return url.origin;
}

export const gatewayHealthSchema = z.object({
  status: z.string(),
  upstreams: z.record(
    z.string(),
    z.object({ status: z.string(), instances: z.array(z.object({ id: z.string(), state: z.string() })) }),
  ),
});
export type GatewayHealth = z.infer<typeof gatewayHealthSchema>;

export const faultStateSchema = z.record(z.string(), z.union([z.number(), z.boolean()]));
export type FaultState = z.infer<typeof faultStateSchema>;

export interface RunReport {
  name: string;
  file: string;
  startedAt: string;
  unexpected: number | undefined;
  recoverySeconds: number | null | undefined;
  audit: { ok: boolean; violations: number } | undefined;
}

export interface LoadReport {
  name: string;
  title: string;
  plots: string[];
}

export class OpsSources {
  private readonly metricsSources: Map<string, AddressSource>;
  private readonly controlSources: Map<string, AddressSource>;

  constructor(private readonly options: OpsSourcesOptions) {
    const sources = (map: Readonly<Record<string, readonly string[]>>) =>
      new Map(
        Object.entries(map).map(([service, urls]) => [
          service,
          new AddressSource(service, urls, resolveWithSystemDns, options.logger),
        ]),
      );
    this.metricsSources = sources(options.metricsUrls);
    this.controlSources = sources(options.controlUrls);
  }

  get services(): string[] {
    return [...this.metricsSources.keys()].sort();
  }

  get jaegerUiUrl(): string | undefined {
    return this.options.jaegerUiUrl;
  }

  /** Every instance of every configured service, with what its metrics say (or down). */
  async instances(): Promise<InstanceSummary[]> {
    const perService = await Promise.all(
      [...this.metricsSources.entries()].map(async ([service, source]) => {
        const targets = await source.discover();
        return Promise.all(
          targets.map(async ({ origin }) => summariseInstance(service, origin, await this.metricsOf(origin))),
        );
      }),
    );
    return perService.flat().sort((a, b) => a.service.localeCompare(b.service) || a.url.localeCompare(b.url));
  }

  async gatewayHealth(): Promise<GatewayHealth | undefined> {
    try {
      const res = await fetch(`${this.options.gatewayUrl}/health`, {
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return gatewayHealthSchema.parse(await res.json());
    } catch {
      return undefined;
    }
  }

  /** The faults each instance of a service runs with; undefined where fault injection is off. */
  async faults(service: string): Promise<Array<{ url: string; faults: FaultState | undefined }>> {
    const targets = (await this.controlSources.get(service)?.discover()) ?? [];
    return Promise.all(
      targets.map(async ({ origin }) => {
        try {
          const res = await fetch(`${adminOriginOf(origin)}/_control/faults`, {
            signal: AbortSignal.timeout(TIMEOUT_MS),
          });
          return { url: origin, faults: res.ok ? faultStateSchema.parse(await res.json()) : undefined };
        } catch {
          return { url: origin, faults: undefined };
        }
      }),
    );
  }

  /** Switches faults on every instance of a service (null: all off). Returns how many instances took it. */
  async switchFaults(service: string, faults: FaultState | null): Promise<number> {
    const targets = (await this.controlSources.get(service)?.discover()) ?? [];
    const results = await Promise.all(
      targets.map(async ({ origin }) => {
        const res = await fetch(`${adminOriginOf(origin)}/_control/faults`, {
          method: faults ? 'PUT' : 'DELETE',
          ...(faults
            ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) }
            : {}),
          signal: AbortSignal.timeout(TIMEOUT_MS * 2),
        }).catch(() => undefined);
        return res !== undefined && res.status < 300;
      }),
    );
    return results.filter(Boolean).length;
  }

  /**
   * The dead letters of every service that owns a consumer (the others answer 404 on
   * their admin listener). One instance per service is asked: instances of a service
   * share its consumer group, so each would list the same.
   */
  async deadLetters(): Promise<ServiceDeadLetters[]> {
    const answers = await Promise.all(
      this.services.map(async (service): Promise<ServiceDeadLetters | undefined> => {
        const origin = await this.firstControlOrigin(service);
        if (!origin) return undefined;
        try {
          const res = await fetch(`${adminOriginOf(origin)}/dead-letters`, {
            signal: AbortSignal.timeout(DEAD_LETTERS_TIMEOUT_MS),
          });
          if (res.status === 404) return undefined;
          if (!res.ok) return { service, list: undefined, error: `answered ${res.status}` };
          return { service, list: deadLetterListSchema.parse(await res.json()) };
        } catch (error) {
          return { service, list: undefined, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    return answers.filter((answer): answer is ServiceDeadLetters => answer !== undefined);
  }

  /** Asks the service that owns the consumer to replay; its problem's detail when it refuses. */
  async replayDeadLetters(
    service: string,
    request: DeadLetterReplayRequest,
  ): Promise<{ result: DeadLetterReplayResult } | { problem: string }> {
    const origin = await this.firstControlOrigin(service);
    if (!origin) return { problem: `${service} has no instance to ask` };
    try {
      const res = await fetch(`${adminOriginOf(origin)}/dead-letters/replay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(DEAD_LETTERS_TIMEOUT_MS * 2),
      });
      const body: unknown = await res.json();
      if (res.ok) return { result: deadLetterReplayResultSchema.parse(body) };
      const detail = (body as { detail?: unknown } | null)?.detail;
      return { problem: typeof detail === 'string' ? detail : `${service} answered ${res.status}` };
    } catch (error) {
      return {
        problem: `${service} did not answer: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  private async firstControlOrigin(service: string): Promise<string | undefined> {
    const targets = (await this.controlSources.get(service)?.discover()) ?? [];
    return targets[0]?.origin;
  }

  /** The chaos runs on record, newest first (their audit block is the auditor's verdict). */
  chaosRuns(): RunReport[] {
    const dir = this.options.resultsDir ? path.join(this.options.resultsDir, 'chaos') : undefined;
    if (!dir || !fs.existsSync(dir)) return [];
    const reports: RunReport[] = [];
    for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      try {
        const run = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
        const audit = run.audit as { ok?: unknown; violations?: unknown } | undefined;
        reports.push({
          name: String(run.scenario ?? file.replace(/\.json$/, '')),
          file: `chaos/${file.replace(/\.json$/, '.txt')}`,
          startedAt: String(run.startedAt ?? ''),
          unexpected: typeof run.unexpected === 'number' ? run.unexpected : undefined,
          recoverySeconds: run.recoverySeconds as number | null | undefined,
          audit: audit ? { ok: audit.ok === true, violations: Number(audit.violations ?? 0) } : undefined,
        });
      } catch {
        // A report being written right now: the next look finds it whole.
      }
    }
    return reports.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** The load runs on record with their plots (`black-friday.md` and `black-friday/*.svg`), newest first. */
  loadRuns(): LoadReport[] {
    const dir = this.options.resultsDir;
    if (!dir || !fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.md') && fs.existsSync(path.join(dir, name.replace(/\.md$/, ''))))
      .map((file) => {
        const name = file.replace(/\.md$/, '');
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        const title = /^#\s+(.+)$/m.exec(text)?.[1] ?? name;
        const plots = fs
          .readdirSync(path.join(dir, name))
          .filter((plot) => plot.endsWith('.svg'))
          .map((plot) => `${name}/${plot}`);
        return { name, title, plots, mtime: fs.statSync(path.join(dir, file)).mtimeMs };
      })
      .filter((run) => run.plots.length > 0)
      .sort((a, b) => b.mtime - a.mtime)
      .map(({ mtime: _mtime, ...run }) => run);
  }

  /** A plot or report of docs/results by its relative name; nothing outside that folder. */
  resultFile(relative: string): { path: string; type: string } | undefined {
    const dir = this.options.resultsDir;
    if (!dir || !/^[\w-]+(\/[\w.-]+)?\.(svg|txt|md)$/.test(relative) || relative.includes('..'))
      return undefined;
    const full = path.join(dir, relative);
    if (!fs.existsSync(full)) return undefined;
    const type = relative.endsWith('.svg') ? 'image/svg+xml' : 'text/plain; charset=utf-8';
    return { path: full, type };
  }

  private async metricsOf(origin: string) {
    try {
      const res = await fetch(`${adminOriginOf(origin)}/metrics`, {
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!res.ok) return undefined;
      return parsePrometheusText(await res.text());
    } catch {
      return undefined;
    }
  }
}
