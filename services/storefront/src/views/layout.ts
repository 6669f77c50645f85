import type { Flash } from '../domain/session';
import { html, type SafeHtml } from './html';

/** What every page needs to know about the shopper. */
export interface PageContext {
  csrf: string;
  signedIn: { name: string; role: 'customer' | 'admin' } | undefined;
  flash: Flash | undefined;
  /** The search box keeps what was searched. */
  query?: string;
}

export interface PageOptions {
  title: string;
  ctx: PageContext;
  body: SafeHtml;
  /** Extra scripts by path under /assets (the order page's live status). */
  scripts?: string[];
}

/**
 * The frame of every page: a skip link, a banner with the site name, search and
 * navigation, one main landmark, a footer. No inline script or style, so the content
 * security policy can forbid both.
 */
export function layout(options: PageOptions): SafeHtml {
  const { ctx } = options;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · Surge</title>
        <link rel="stylesheet" href="/assets/site.css" />
        <script src="/assets/trace.js" defer></script>
        ${(options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
          <a class="brand" href="/">Surge</a>
          <form class="search" role="search" method="get" action="/">
            <label for="q">Search products</label>
            <input id="q" name="q" type="search" value="${ctx.query ?? ''}" maxlength="100" />
            <button type="submit">Search</button>
          </form>
          <nav aria-label="Account">
            <ul>
              <li><a href="/cart">Cart</a></li>
              ${
                ctx.signedIn
                  ? html`<li><a href="/orders">Orders</a></li>
                      <li><a href="/notifications">Inbox</a></li>
                      ${ctx.signedIn.role === 'admin' ? html`<li><a href="/ops">Operations</a></li>` : ''}
                      <li>
                        <form method="post" action="/logout" class="inline">
                          <input type="hidden" name="_csrf" value="${ctx.csrf}" />
                          <button type="submit" class="link">Sign out ${ctx.signedIn.name}</button>
                        </form>
                      </li>`
                  : html`<li><a href="/login">Sign in</a></li>
                      <li><a href="/signup">Create account</a></li>`
              }
            </ul>
          </nav>
        </header>
        <main id="main">
          ${ctx.flash ? html`<p class="flash ${ctx.flash.kind}" role="${ctx.flash.kind === 'error' ? 'alert' : 'status'}">${ctx.flash.text}</p>` : ''}
          ${options.body}
        </main>
        <footer class="site">
          <p>Surge, a reference shop that loses no order. <a href="/docs">API documentation</a></p>
        </footer>
      </body>
    </html>`;
}

/** The hidden field every form carries. */
export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}" />`;
}
