/**
 * The site's static files, held in memory: a stylesheet and three small scripts. Pages
 * work without the scripts; they only add live order status, a guard against double
 * submits, and trace context on the page's own requests.
 */
const SITE_CSS = `
:root { --ink: #1b1f24; --muted: #4a5260; --accent: #0b5cad; --accent-ink: #ffffff; --bg: #ffffff;
  --panel: #f3f5f8; --error: #a4141c; --ok: #1d6b32; font-family: system-ui, "DejaVu Sans", sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--bg); line-height: 1.5; }
a { color: var(--accent); }
.skip { position: absolute; left: -10000px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; z-index: 10; }
header.site { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .75rem 1.5rem; background: var(--panel); border-bottom: 1px solid #d5dae1; }
.brand { font-weight: 700; font-size: 1.4rem; text-decoration: none; color: var(--ink); }
header nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; align-items: center; }
.search { display: flex; gap: .5rem; align-items: center; flex: 1; }
.search label { font-size: .9rem; color: var(--muted); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
footer.site { border-top: 1px solid #d5dae1; padding: 1rem 1.5rem; color: var(--muted); font-size: .9rem; }
input, select, button { font: inherit; padding: .4rem .6rem; }
input, select { border: 1px solid #6b7280; border-radius: 4px; }
button, .button { background: var(--accent); color: var(--accent-ink); border: 0; border-radius: 4px; padding: .5rem 1rem; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary { background: #5a2d0c; }
button.link { background: none; color: var(--accent); padding: 0; text-decoration: underline; }
button:disabled { background: #59606b; }
.inline { display: inline; }
.stack { display: grid; gap: .4rem; max-width: 28rem; }
fieldset { display: grid; gap: .4rem; border: 1px solid #c8ced6; border-radius: 4px; margin: 0 0 1rem; }
.catalog { display: grid; grid-template-columns: 14rem 1fr; gap: 1.5rem; }
.categories ul { list-style: none; padding: 0; }
.categories a[aria-current] { font-weight: 700; color: var(--ink); }
.grid { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 1rem; }
.card { background: var(--panel); border-radius: 6px; padding: .75rem 1rem; }
.card h3 { margin: 0 0 .25rem; font-size: 1.05rem; }
.price { font-weight: 700; }
.stock { color: var(--ok); } .stock.out { color: var(--error); }
.category, .muted, .sku { color: var(--muted); }
.flash { padding: .6rem 1rem; border-radius: 4px; background: #e6f0fa; border-left: 4px solid var(--accent); }
.flash.error { background: #fbeaea; border-left-color: var(--error); }
table.lines { border-collapse: collapse; width: 100%; margin: 1rem 0; }
table.lines th, table.lines td { text-align: left; padding: .5rem; border-bottom: 1px solid #d5dae1; }
.status-box { background: var(--panel); padding: .5rem 1rem; border-radius: 6px; }
.ok { color: var(--ok); font-weight: 700; } .bad { color: var(--error); font-weight: 700; } .warn { color: #7a4b00; font-weight: 700; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.ops-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(26rem, 1fr)); gap: 1rem; }
.ops-grid section { background: var(--panel); border-radius: 6px; padding: .5rem 1rem; overflow-x: auto; }
.ops-grid table { border-collapse: collapse; width: 100%; font-size: .92rem; }
.ops-grid th, .ops-grid td { text-align: left; padding: .25rem .4rem; border-bottom: 1px solid #d5dae1; }
img.plot { max-width: 100%; background: #fff; }
.dead-letters table { border-collapse: collapse; width: 100%; margin: 0 0 1.5rem; font-size: .92rem; }
.dead-letters caption { text-align: left; font-weight: 700; padding: .25rem 0; }
.dead-letters th, .dead-letters td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #d5dae1; }
@media (max-width: 40rem) { .catalog { grid-template-columns: 1fr; } }
`;

/**
 * W3C trace context from the browser, in a few lines instead of OpenTelemetry's web SDK
 * (hundreds of kB for one header and one span):
 * - each of the page's own fetches (the order status poll) starts a trace;
 * - a form post is the user's action: the script posts the form itself with a fresh
 *   traceparent, so the gateway, the storefront and every service behind continue the
 *   browser's trace. The storefront answers a redirect as `{"location"}` (the script
 *   navigates) and anything else as the page to show. Then the script reports its span,
 *   from the click to the answer, to /telemetry/browser-span, in the same trace.
 * Without JavaScript, or without fetch, forms post as they always did.
 */
const TRACE_JS = `(function () {
  function hex(bytes) {
    var a = new Uint8Array(bytes); crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }
  window.surgeTraceparent = function () { return '00-' + hex(16) + '-' + hex(8) + '-01'; };
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (event.defaultPrevented || !window.fetch || form.method !== 'post') return;
    event.preventDefault();
    if (form.dataset.sending) return;
    form.dataset.sending = 'true';
    var traceparent = window.surgeTraceparent(), started = Date.now();
    var action = new URL(form.action, location.href);
    var body = new URLSearchParams(new FormData(form));
    if (event.submitter && event.submitter.name) body.append(event.submitter.name, event.submitter.value);
    function report(status) {
      var span = { traceparent: traceparent, name: 'submit ' + action.pathname, path: action.pathname,
        start: String(started), end: String(Date.now()), status: String(status) };
      fetch('/telemetry/browser-span', { method: 'POST', keepalive: true, credentials: 'same-origin',
        headers: { traceparent: traceparent }, body: new URLSearchParams(span) }).catch(function () {});
    }
    fetch(action.href, { method: 'POST', body: body, credentials: 'same-origin',
      headers: { traceparent: traceparent, 'x-surge-navigation': 'fetch' } })
      .then(function (res) {
        var json = (res.headers.get('content-type') || '').indexOf('application/json') === 0;
        return (json ? res.json() : res.text()).then(function (answer) {
          report(res.status);
          if (json && answer.location) return location.assign(answer.location);
          document.open(); document.write(answer); document.close();
        });
      }, function () { report(0); delete form.dataset.sending; form.submit(); });
  });
})();`;

/** A second click on a form's submit button while the first is on its way does nothing. */
const FORMS_JS = `document.addEventListener('submit', function (event) {
  var form = event.target;
  if (form.dataset.submitted) { event.preventDefault(); return; }
  form.dataset.submitted = 'true';
  var button = form.querySelector('button[data-once]');
  if (button) { button.setAttribute('aria-disabled', 'true'); button.textContent = 'Placing your order…'; }
});`;

/**
 * Follows an order's status while it is not final (PAYMENT_PENDING -> PAID) by polling
 * the storefront once a second; without JavaScript the page's refresh link does it.
 */
const ORDER_STATUS_JS = `(function () {
  var box = document.querySelector('[data-order-id]');
  if (!box || box.dataset.live !== 'true') return;
  var id = box.dataset.orderId, status = document.getElementById('order-status'), help = document.getElementById('order-status-help');
  function poll() {
    var headers = { accept: 'application/json' };
    if (window.surgeTraceparent) headers.traceparent = window.surgeTraceparent();
    fetch('/orders/' + encodeURIComponent(id) + '/status', { headers: headers, credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (body) {
        if (body) {
          status.textContent = body.statusText; status.dataset.status = body.status; help.textContent = body.help;
          var payment = document.getElementById('payment-status');
          if (payment && body.payment) payment.textContent = body.payment;
          if (!body.live) return;
        }
        setTimeout(poll, 1000);
      }, function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 1000);
})();`;

export const ASSETS: Record<string, { type: string; body: string }> = {
  'site.css': { type: 'text/css; charset=utf-8', body: SITE_CSS },
  'trace.js': { type: 'text/javascript; charset=utf-8', body: TRACE_JS },
  'forms.js': { type: 'text/javascript; charset=utf-8', body: FORMS_JS },
  'order-status.js': { type: 'text/javascript; charset=utf-8', body: ORDER_STATUS_JS },
};
