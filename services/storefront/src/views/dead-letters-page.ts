import type { DeadLetter } from '@surge/contracts';
import type { ServiceDeadLetters } from '../clients/ops-sources';
import { dataTable } from './data-table';
import { formatDate } from './format';
import { html, type SafeHtml } from './html';
import { csrfField, layout, type PageContext } from './layout';

function replayForm(
  ctx: PageContext,
  fields: { service: string; topic: string; position?: string },
  label: SafeHtml,
): SafeHtml {
  return html`<form method="post" action="/ops/dead-letters/replay" class="inline">
    ${csrfField(ctx)}
    <input type="hidden" name="service" value="${fields.service}" />
    <input type="hidden" name="topic" value="${fields.topic}" />
    ${fields.position ? html`<input type="hidden" name="position" value="${fields.position}" />` : ''}
    <button type="submit">${label}</button>
  </form>`;
}

function messageRow(ctx: PageContext, service: string, letter: DeadLetter) {
  return {
    attrs: {
      'data-event-id': letter.id ?? '',
      'data-topic': letter.topic,
      'data-state': letter.replayedAt ? 'replayed' : 'waiting',
    },
    cells: [
      formatDate(letter.at),
      html`${letter.topic}<br /><span class="muted">${letter.position}</span>`,
      html`${letter.type ?? '(no type)'}<br /><span class="muted">${letter.id ?? '(no id)'}</span>`,
      letter.error ?? '',
      letter.replayedAt
        ? html`replayed
          ${formatDate(letter.replayedAt)}${letter.replayedBy ? html`<br />by ${letter.replayedBy}` : ''}`
        : replayForm(
            ctx,
            { service, topic: letter.topic, position: letter.position },
            html`Replay<span class="visually-hidden">
                ${letter.type ?? ''} ${letter.id ?? letter.position}</span
              >`,
          ),
    ],
  };
}

function serviceSection(ctx: PageContext, entry: ServiceDeadLetters): SafeHtml {
  const headingId = `dlq-${entry.service}`;
  if (!entry.list)
    return html`<section aria-labelledby="${headingId}">
      <h2 id="${headingId}">${entry.service}</h2>
      <p class="bad">Its dead letters could not be read: ${entry.error ?? 'no answer'}.</p>
    </section>`;
  const { list } = entry;
  return html`<section aria-labelledby="${headingId}">
    <h2 id="${headingId}">${entry.service} (consumer group ${list.group})</h2>
    ${dataTable(
      `Dead letters of ${entry.service} by topic`,
      ['Topic', 'Waiting', 'Replayed', html`<span class="visually-hidden">Actions</span>`],
      list.topics.map((topic) => ({
        attrs: { 'data-dlq-topic': topic.topic },
        cells: [
          `${topic.topic}.dlq`,
          {
            value: topic.pending,
            className: topic.pending > 0 ? 'bad' : 'ok',
            attrs: { 'data-waiting': '' },
          },
          topic.replayed,
          topic.pending > 0
            ? replayForm(
                ctx,
                { service: entry.service, topic: topic.topic },
                html`Replay all<span class="visually-hidden"> of ${topic.topic}.dlq</span>`,
              )
            : '',
        ],
      })),
    )}
    ${
      list.messages.length > 0
        ? dataTable(
            `Dead-lettered messages of ${entry.service}, newest first`,
            ['When', 'Topic', 'Event', 'Why it failed', 'Replay'],
            list.messages.map((letter) => messageRow(ctx, entry.service, letter)),
          )
        : html`<p>No dead letters.</p>`
    }
  </section>`;
}

/**
 * `/ops/dead-letters`: what each consumer gave up on and why, and a replay to the
 * source topic per message or per topic. The consumer's inbox makes a replay of an
 * event it already applied a no-op, so a replay is safe to repeat.
 */
export function deadLettersPage(ctx: PageContext, services: ServiceDeadLetters[]): SafeHtml {
  const body = html`<h1>Dead letters</h1>
    <p class="muted">
      Messages a consumer gave up on, read from each service's admin endpoint. A replay publishes the message
      to its source topic again; the consumer applies it at most once. Every replay is logged with who asked.
      <a href="/ops">Back to the console</a>.
    </p>
    <div class="dead-letters">
      ${
        services.length > 0
          ? services.map((entry) => serviceSection(ctx, entry))
          : html`<p>No service with a consumer answered.</p>`
      }
    </div>`;
  return layout({ title: 'Dead letters', ctx, body });
}
