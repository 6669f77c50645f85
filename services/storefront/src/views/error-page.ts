import { html, type SafeHtml } from './html';
import { layout, type PageContext } from './layout';

export interface ErrorView {
  status: number;
  title: string;
  message: string;
  /** What the shopper can do now: a link back, or wait and retry. */
  action?: { href: string; text: string };
  requestId?: string;
}

/** Every failure the shopper can meet is a page like this one; never a stack trace. */
export function errorPage(ctx: PageContext, view: ErrorView): SafeHtml {
  const body = html` <h1>${view.title}</h1>
    <p>${view.message}</p>
    ${view.action ? html`<p><a href="${view.action.href}">${view.action.text}</a></p>` : ''}
    ${view.requestId ? html`<p class="muted">Reference: <code>${view.requestId}</code></p>` : ''}`;
  return layout({ title: view.title, ctx, body });
}
