import { html, type SafeHtml } from './html';
import { csrfField, layout, type PageContext } from './layout';

export interface AuthFormView {
  email?: string;
  name?: string;
  /** Where to go after signing in: a path of this site only. */
  next?: string;
  problem?: string;
}

export function loginPage(ctx: PageContext, view: AuthFormView): SafeHtml {
  const body = html` <h1>Sign in</h1>
    ${view.problem ? html`<p class="flash error" role="alert">${view.problem}</p>` : ''}
    <form method="post" action="/login" class="stack">
      ${csrfField(ctx)}
      <input type="hidden" name="next" value="${view.next ?? '/'}" />
      <label for="email">Email</label>
      <input
        id="email"
        name="email"
        type="email"
        autocomplete="username"
        required
        value="${view.email ?? ''}"
      />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required />
      <button type="submit">Sign in</button>
    </form>
    <p>New here? <a href="/signup">Create an account</a>.</p>`;
  return layout({ title: 'Sign in', ctx, body });
}

export function signupPage(ctx: PageContext, view: AuthFormView): SafeHtml {
  const body = html` <h1>Create an account</h1>
    ${view.problem ? html`<p class="flash error" role="alert">${view.problem}</p>` : ''}
    <form method="post" action="/signup" class="stack">
      ${csrfField(ctx)}
      <label for="name">Name</label>
      <input id="name" name="name" autocomplete="name" required maxlength="100" value="${view.name ?? ''}" />
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" required value="${view.email ?? ''}" />
      <label for="password">Password <span class="muted">(8 characters or more)</span></label>
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="new-password"
        minlength="8"
        maxlength="128"
        required
      />
      <button type="submit">Create account</button>
    </form>
    <p>Have an account? <a href="/login">Sign in</a>.</p>`;
  return layout({ title: 'Create an account', ctx, body });
}
