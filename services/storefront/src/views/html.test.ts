import { escapeHtml, html } from './html';

describe('the html template', () => {
  it('escapes every interpolated string, attributes included', () => {
    const name = `<script>alert("x")</script>' onerror='`;
    expect(html`<p title="${name}">${name}</p>`.text).toBe(
      `<p title="${escapeHtml(name)}">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onerror=&#39;</p>`,
    );
  });

  it('keeps nested fragments and arrays of them as markup', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    // prettier-ignore
    const list = html`<ul>${items}</ul>`;
    expect(list.text).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
  });

  it('renders nothing for null, undefined and false', () => {
    expect(html`${null}${undefined}${false}${0}`.text).toBe('0');
  });
});
