import type { ProfileSummary } from './cpu-profile';
import { fmt, table } from './report';

/** One service's representative read, as the service-reads report lists it. */
export interface ServiceReadRow {
  service: string;
  /** `GET /api/users/me`. */
  route: string;
  /** Why this route: the one a real client calls most, in one sentence. */
  why: string;
  /** Median CPU µs per request with production and development settings; absent when not measured here. */
  productionUs?: number;
  developmentUs?: number;
  /** Throughput of the production run whose CPU is the median (context, not a figure of merit). */
  requestsPerSecond?: number;
  /** Non-2xx answers and socket errors over every measured run: a valid row has none. */
  errors?: number;
  /** The production run's profile; absent when the service was not profiled. */
  profile?: ProfileSummary;
  /** Where the figure is when another benchmark measures it (the gateway). */
  elsewhere?: { label: string; href: string };
  /** Why the service has no row of figures (no read route). */
  unmeasured?: string;
}

const pct = (share: number) => `${(share * 100).toFixed(0)}%`;

/**
 * What a profile's top items are, in one line: the modules that take most self time,
 * then the functions. Enough to say where a service's CPU goes, not a flame graph.
 */
export function topItemsLine(summary: ProfileSummary, modules = 4, functions = 2): string {
  const mods = summary.modules.slice(0, modules).map((m) => `${m.name} ${pct(m.share)}`);
  // V8's pseudo-frames ((garbage collector), (program)) are their own module: named once.
  const fns = summary.functions
    .filter((f) => !f.name.startsWith('('))
    .slice(0, functions)
    .map((f) => `\`${f.name}\` ${pct(f.share)}`);
  if (mods.length === 0) return 'no samples in the measured window';
  return fns.length > 0 ? `${mods.join(', ')}; top functions ${fns.join(', ')}` : mods.join(', ');
}

/** The one table of every service's read: figures, or a link, or why there is none. */
export function renderServiceReadTable(rows: ServiceReadRow[]): string {
  return table([
    [
      'service',
      'route',
      'production µs CPU/request',
      'development µs CPU/request',
      'requests/s (production)',
      'errors',
      'profile, production (self time)',
    ],
    ...rows.map((row) => {
      if (row.elsewhere)
        return [
          row.service,
          row.route,
          `see [${row.elsewhere.label}](${row.elsewhere.href})`,
          '',
          '',
          '',
          '',
        ];
      if (row.unmeasured) return [row.service, row.route, row.unmeasured, '', '', '', ''];
      return [
        row.service,
        row.route,
        figure(row.productionUs),
        figure(row.developmentUs),
        figure(row.requestsPerSecond),
        row.errors ?? '',
        row.profile ? topItemsLine(row.profile) : 'not profiled',
      ];
    }),
  ]);
}

/** The route choices and their reasons, one bullet each. */
export function renderRouteChoices(rows: ServiceReadRow[]): string {
  return rows.map((row) => `- **${row.service}**, \`${row.route}\`: ${row.why}`).join('\n');
}

function figure(value: number | undefined): string {
  return value === undefined ? 'not measured' : fmt(value);
}
