import type { FaultState, GatewayHealth, LoadReport, RunReport } from '../clients/ops-sources';
import type { InstanceSummary } from '../domain/ops-summary';
import { dataTable } from './data-table';
import { html, type SafeHtml } from './html';
import { csrfField, layout, type PageContext } from './layout';

export interface FaultSwitchRecord {
  at: string;
  by: string;
  service: string;
  fault: string;
  instances: number;
}

export interface OpsView {
  instances: InstanceSummary[];
  health: GatewayHealth | undefined;
  faults: Record<string, Array<{ url: string; faults: FaultState | undefined }>>;
  faultInjection: boolean;
  switches: FaultSwitchRecord[];
  chaos: RunReport[];
  load: LoadReport[];
  jaegerUiUrl: string | undefined;
}

export const FAULT_PRESETS: Record<string, { label: string; faults: FaultState | null }> = {
  errors: { label: 'fail every request (500)', faults: { errorRate: 1 } },
  slow: { label: 'answer 3 s late', faults: { latencyMs: 3_000 } },
  hang: { label: 'never answer', faults: { hang: true } },
  clear: { label: 'no faults', faults: null },
};

function stateClass(state: string): string {
  return state === 'closed' || state === 'healthy' || state === 'up'
    ? 'ok'
    : state === 'half-open'
      ? 'warn'
      : 'bad';
}

function describeFaults(faults: FaultState | undefined): string {
  if (!faults) return 'off (not available)';
  const parts: string[] = [];
  if (faults.hang) parts.push('hangs');
  if (Number(faults.latencyMs) > 0) parts.push(`${String(faults.latencyMs)} ms late`);
  if (Number(faults.errorRate) > 0) parts.push(`${Math.round(Number(faults.errorRate) * 100)}% errors`);
  if (faults.dropAfterCommit) parts.push('drops answers');
  return parts.length ? parts.join(', ') : 'none';
}

function instancesSection(view: OpsView): SafeHtml {
  return html`<section aria-labelledby="instances-h">
    <h2 id="instances-h">Instances</h2>
    ${dataTable(
      'Every instance and its state',
      ['Service', 'Instance', 'Metrics'],
      view.instances.map((i) => [
        i.service,
        i.url,
        { value: i.up ? 'up' : 'down', className: i.up ? 'ok' : 'bad' },
      ]),
      { captionHidden: true },
    )}
    ${
      view.health
        ? html`<h3>Gateway's view</h3>
            ${dataTable(
              'Upstream instances as the gateway sees them',
              ['Upstream', 'Instance', 'State'],
              Object.entries(view.health.upstreams).flatMap(([name, upstream]) =>
                upstream.instances.map((instance) => [
                  name,
                  instance.id,
                  { value: instance.state, className: stateClass(instance.state) },
                ]),
              ),
              { captionHidden: true },
            )}`
        : html`<p class="bad">The gateway's /health did not answer.</p>`
    }
  </section>`;
}

function breakersSection(view: OpsView): SafeHtml {
  const rows = view.instances.flatMap((i) =>
    i.breakers.map((b) => ({ service: i.service, url: i.url, ...b })),
  );
  return html`<section aria-labelledby="breakers-h">
    <h2 id="breakers-h">Circuit breakers and retry budgets</h2>
    ${dataTable(
      "Each client's breaker",
      ['Caller', 'Upstream', 'Breaker', 'Retries', 'Budget spent'],
      rows.map((row) => ({
        attrs: { 'data-caller': row.service, 'data-upstream': row.upstream, 'data-state': row.state },
        cells: [
          row.service,
          row.upstream,
          { value: row.state, className: stateClass(row.state) },
          row.retries,
          row.budgetExhausted,
        ],
      })),
      { id: 'breakers', captionHidden: true },
    )}
    <p class="muted">
      Budget spent: retries not sent because the client's retry budget was used up (since start).
    </p>
  </section>`;
}

function messagingSection(view: OpsView): SafeHtml {
  const outbox = view.instances.filter((i) => i.outboxPending !== undefined);
  const lag = view.instances.flatMap((i) =>
    Object.entries(i.lagByGroup).map(([group, value]) => ({ service: i.service, group, value })),
  );
  const dlq = view.instances.filter((i) => i.deadLettered !== undefined);
  return html`<section aria-labelledby="messaging-h">
    <h2 id="messaging-h">Outbox, consumers, dead letters</h2>
    ${dataTable(
      'Outbox backlog',
      ['Service', 'Pending events', 'Oldest (s)'],
      outbox.map((i) => [i.service, i.outboxPending, Math.round(i.outboxOldestSeconds ?? 0)]),
    )}
    ${dataTable(
      'Consumer lag per group',
      ['Service', 'Group', 'Lag (messages)'],
      lag.map((row) => [row.service, row.group, row.value]),
    )}
    ${
      dlq.length > 0
        ? dataTable(
            'Dead-lettered since start',
            ['Service', 'Messages'],
            dlq.map((i) => [i.service, i.deadLettered]),
          )
        : ''
    }
    <p><a href="/ops/dead-letters">Dead letters: list and replay</a></p>
  </section>`;
}

function faultsSection(ctx: PageContext, view: OpsView): SafeHtml {
  if (!view.faultInjection)
    return html`<section aria-labelledby="faults-h">
      <h2 id="faults-h">Fault injection</h2>
      <p>Off: this is not a development deployment.</p>
    </section>`;
  return html`<section aria-labelledby="faults-h">
    <h2 id="faults-h">Fault injection</h2>
    ${dataTable(
      'Faults per instance',
      ['Service', 'Instance', 'Faults'],
      Object.entries(view.faults).flatMap(([service, list]) =>
        list.map((entry) => [
          service,
          entry.url,
          { value: describeFaults(entry.faults), attrs: { 'data-faults': service } },
        ]),
      ),
      { captionHidden: true },
    )}
    <form method="post" action="/ops/faults" class="stack">
      ${csrfField(ctx)}
      <label for="fault-service">Service</label>
      <select id="fault-service" name="service">
        ${Object.keys(view.faults).map((service) => html`<option value="${service}">${service}</option>`)}
      </select>
      <label for="fault-preset">Fault</label>
      <select id="fault-preset" name="preset">
        ${Object.entries(FAULT_PRESETS).map(([key, preset]) => html`<option value="${key}">${preset.label}</option>`)}
      </select>
      <button type="submit">Switch</button>
    </form>
    ${
      view.switches.length > 0
        ? html`<h3>Recent switches</h3>
            <ul>
              ${view.switches.map((s) => html`<li>${s.at}: ${s.by} set ${s.service} to “${s.fault}” (${s.instances} instances)</li>`)}
            </ul>`
        : ''
    }
  </section>`;
}

function runsSection(view: OpsView): SafeHtml {
  const lastChaos = view.chaos[0];
  const lastLoad = view.load[0];
  return html`<section aria-labelledby="runs-h">
    <h2 id="runs-h">Runs and verdicts</h2>
    ${
      lastChaos
        ? html`<p>
            Auditor's last verdict (chaos run <a href="/ops/results/${lastChaos.file}">${lastChaos.name}</a>,
            ${lastChaos.startedAt}):
            <strong class="${lastChaos.audit?.ok ? 'ok' : 'bad'}"
              >${lastChaos.audit ? (lastChaos.audit.ok ? 'consistent' : `${lastChaos.audit.violations} violations`) : 'no audit'}</strong
            >; unexpected answers: ${lastChaos.unexpected ?? '?'}; recovery:
            ${lastChaos.recoverySeconds ?? '?'} s.
          </p>`
        : html`<p>No chaos run on record.</p>`
    }
    ${
      lastLoad
        ? html`<h3>Last load run: ${lastLoad.title}</h3>
            ${lastLoad.plots.map(
              (plot) =>
                html`<p>
                  <img
                    class="plot"
                    src="/ops/results/${plot}"
                    alt="${lastLoad.name} plot: ${plot.split('/')[1]?.replace('.svg', '') ?? plot}"
                  />
                </p>`,
            )}`
        : html`<p>No load run on record.</p>`
    }
    ${
      view.jaegerUiUrl
        ? html`<p>
            Traces: <a href="${view.jaegerUiUrl}/search?service=storefront">storefront</a>,
            <a href="${view.jaegerUiUrl}/search?service=gateway">gateway</a>,
            <a href="${view.jaegerUiUrl}/search?service=order">order</a>.
          </p>`
        : html`<p>No trace viewer configured (JAEGER_UI_URL).</p>`
    }
  </section>`;
}

export function opsPage(ctx: PageContext, view: OpsView): SafeHtml {
  const body = html`<h1>Operations</h1>
    <p class="muted">
      Read from each service's metrics and control endpoints and the gateway's health;
      <a href="/ops">refresh</a>.
    </p>
    <div class="ops-grid">
      ${instancesSection(view)} ${breakersSection(view)} ${messagingSection(view)} ${faultsSection(ctx, view)}
      ${runsSection(view)}
    </div>`;
  return layout({ title: 'Operations', ctx, body });
}
