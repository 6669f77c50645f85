import type { Order, OrderStatus } from '../clients/api-schemas';
import { dataTable } from './data-table';
import { formatDate, formatMoney, orderStatusText } from './format';
import { html, type SafeHtml } from './html';
import { csrfField, layout, type PageContext } from './layout';

export interface CartLine {
  productId: string;
  name: string;
  quantity: number;
  priceCents: number;
  currency: string;
}

export interface CartView {
  lines: CartLine[];
  /** Null, with `currency`, when the lines are in more than one currency (the API cannot add them). */
  totalCents: number | null;
  currency: string | null;
}

/** The total, or why there is none: checkout answers 409 CURRENCY_MISMATCH until a line goes. */
function cartTotal(cart: CartView): string {
  return cart.totalCents === null || cart.currency === null
    ? 'not one sum: the products are priced in more than one currency; remove one to check out'
    : formatMoney(cart.totalCents, cart.currency);
}

export function cartPage(ctx: PageContext, cart: CartView, problem?: string): SafeHtml {
  const body = html` <h1>Your cart</h1>
    ${problem ? html`<p class="flash error" role="alert">${problem}</p>` : ''}
    ${
      cart.lines.length === 0
        ? html`<p>Your cart is empty. <a href="/">Browse the shop</a>.</p>`
        : html`${dataTable(
              'Products in your cart',
              ['Product', 'Quantity', 'Price', html`<span class="visually-hidden">Actions</span>`],
              cart.lines.map((line) => [
                html`<a href="/products/${line.productId}">${line.name}</a>`,
                html`<form method="post" action="/cart/items" class="inline">
                  ${csrfField(ctx)}
                  <input type="hidden" name="productId" value="${line.productId}" />
                  <input type="hidden" name="mode" value="set" />
                  <label class="visually-hidden" for="qty-${line.productId}">Quantity of ${line.name}</label>
                  <input
                    id="qty-${line.productId}"
                    name="quantity"
                    type="number"
                    min="1"
                    max="100"
                    value="${line.quantity}"
                  />
                  <button type="submit">Update</button>
                </form>`,
                formatMoney(line.priceCents * line.quantity, line.currency),
                html`<form method="post" action="/cart/items/${line.productId}/remove" class="inline">
                  ${csrfField(ctx)}
                  <button type="submit">Remove<span class="visually-hidden"> ${line.name}</span></button>
                </form>`,
              ]),
              {
                className: 'lines',
                captionHidden: true,
                footer: html`<tr>
                  <th scope="row" colspan="2">Total</th>
                  <td>${cartTotal(cart)}</td>
                  <td></td>
                </tr>`,
              },
            )}
            <p><a class="button" href="/checkout">Go to checkout</a></p>`
    }`;
  return layout({ title: 'Cart', ctx, body });
}

export interface CheckoutView {
  cart: CartView;
  /**
   * Fixed when the form is rendered, with the lines it shows: a double click or a
   * resubmission sends the same request with the same key, and places one order.
   */
  idempotencyKey: string;
  values: Record<string, string>;
  problem?: string;
}

const ADDRESS_FIELDS: Array<[string, string, string]> = [
  ['name', 'Full name', 'name'],
  ['line1', 'Street address', 'address-line1'],
  ['city', 'City', 'address-level2'],
  ['postalCode', 'Postal code', 'postal-code'],
  ['country', 'Country (two letters)', 'country'],
];

export function checkoutPage(ctx: PageContext, view: CheckoutView): SafeHtml {
  const body = html` <h1>Checkout</h1>
    ${view.problem ? html`<p class="flash error" role="alert">${view.problem}</p>` : ''}
    <p>
      ${view.cart.lines.length} ${view.cart.lines.length === 1 ? 'product' : 'products'}, total
      <strong>${cartTotal(view.cart)}</strong>.
      <a href="/cart">Change the cart</a>
    </p>
    <form method="post" action="/checkout" class="stack" id="checkout-form">
      ${csrfField(ctx)}
      <input type="hidden" name="idempotencyKey" value="${view.idempotencyKey}" />
      <input
        type="hidden"
        name="lines"
        value="${view.cart.lines.map((line) => `${line.productId}:${line.quantity}`).join(';')}"
      />
      <fieldset>
        <legend>Shipping address</legend>
        ${ADDRESS_FIELDS.map(
          ([name, label, autocomplete]) =>
            html`<label for="${name}">${label}</label>
              <input
                id="${name}"
                name="${name}"
                autocomplete="${autocomplete}"
                required
                maxlength="200"
                value="${view.values[name] ?? ''}"
              />`,
        )}
      </fieldset>
      <fieldset>
        <legend>Payment</legend>
        <label for="card">Card (simulator)</label>
        <select id="card" name="card">
          <option value="tok_visa" ${view.values.card === 'tok_decline' ? '' : html` selected`}>
            Visa ending 4242 (approves)
          </option>
          <option value="tok_decline" ${view.values.card === 'tok_decline' ? html` selected` : ''}>
            Card that is declined
          </option>
        </select>
      </fieldset>
      <button type="submit" data-once>Place order</button>
    </form>`;
  return layout({ title: 'Checkout', ctx, body, scripts: ['/assets/forms.js'] });
}

export function ordersPage(ctx: PageContext, orders: Order[], nextCursor: string | null): SafeHtml {
  const body = html` <h1>Your orders</h1>
    ${
      orders.length === 0
        ? html`<p>No orders yet. <a href="/">Browse the shop</a>.</p>`
        : dataTable(
            'Your orders, newest first',
            ['Order', 'Placed', 'Status', 'Total'],
            orders.map((order) => [
              html`<a href="/orders/${order.id}">${order.id.slice(0, 8)}</a>`,
              formatDate(order.createdAt),
              orderStatusText(order.status),
              formatMoney(order.totalCents, order.currency),
            ]),
            { className: 'lines', captionHidden: true },
          )
    }
    ${nextCursor ? html`<p class="paging"><a rel="next" href="/orders?cursor=${encodeURIComponent(nextCursor)}">Older orders</a></p>` : ''}`;
  return layout({ title: 'Orders', ctx, body });
}

export interface OrderView {
  order: Order;
  names: Record<string, string>;
  payment: string | undefined;
  /** The status may still change (payment pending, refund on its way): the page follows it. */
  live: boolean;
}

const STATUS_HELP: Record<OrderStatus, string> = {
  PENDING: 'We are placing your order.',
  PAYMENT_PENDING: 'We have your order; payment will finish. You do not need to order again.',
  PAID: 'Paid. A receipt is on its way to your inbox.',
  CANCELLED: 'This order is cancelled.',
};

export function statusHelp(order: Pick<Order, 'status' | 'cancelReason'>): string {
  if (order.status === 'CANCELLED' && order.cancelReason === 'PAYMENT_DECLINED')
    return 'This order is cancelled: the card was declined. Nothing was charged.';
  return STATUS_HELP[order.status];
}

export function orderPage(ctx: PageContext, view: OrderView): SafeHtml {
  const { order } = view;
  const { live } = view;
  const body = html` <h1>Order ${order.id.slice(0, 8)}</h1>
    <section
      aria-labelledby="status-heading"
      class="status-box"
      data-order-id="${order.id}"
      data-live="${live ? 'true' : 'false'}"
    >
      <h2 id="status-heading">Status</h2>
      <p><strong id="order-status" data-status="${order.status}">${orderStatusText(order.status)}</strong></p>
      <p id="order-status-help" aria-live="polite">${statusHelp(order)}</p>
      ${view.payment ? html`<p>Payment: <span id="payment-status">${view.payment}</span></p>` : ''}
      <p><a href="/orders/${order.id}" id="refresh-link">Refresh this page</a> to see the latest status.</p>
    </section>
    <section aria-labelledby="items-heading">
      <h2 id="items-heading">Items</h2>
      ${dataTable(
        'Items of this order',
        ['Product', 'Quantity', 'Price'],
        order.items.map((item) => [
          html`<a href="/products/${item.productId}">${view.names[item.productId] ?? item.productId}</a>`,
          item.quantity,
          formatMoney(item.priceCents * item.quantity, order.currency),
        ]),
        {
          className: 'lines',
          captionHidden: true,
          footer: html`<tr>
            <th scope="row" colspan="2">Total</th>
            <td>${formatMoney(order.totalCents, order.currency)}</td>
          </tr>`,
        },
      )}
    </section>
    <section aria-labelledby="ship-heading">
      <h2 id="ship-heading">Shipping to</h2>
      <p>
        ${order.shippingAddress.name}<br />${order.shippingAddress.line1}<br />${order.shippingAddress.postalCode}
        ${order.shippingAddress.city}<br />${order.shippingAddress.country}
      </p>
    </section>
    ${
      order.status === 'CANCELLED'
        ? ''
        : html`<form method="post" action="/orders/${order.id}/cancel">
            ${csrfField(ctx)}
            <button type="submit" class="secondary">Cancel this order</button>
          </form>`
    }`;
  return layout({ title: `Order ${order.id.slice(0, 8)}`, ctx, body, scripts: ['/assets/order-status.js'] });
}

export interface NotificationLine {
  subject: string;
  type: string;
  sentAt: string;
}

export function notificationsPage(
  ctx: PageContext,
  items: NotificationLine[],
  nextCursor: string | null,
): SafeHtml {
  const body = html` <h1>Inbox</h1>
    <p>The emails we sent you.</p>
    ${
      items.length === 0
        ? html`<p>
            Nothing yet: messages arrive a moment after an event. <a href="/notifications">Refresh</a>.
          </p>`
        : html`<ul class="inbox">
            ${items.map(
              (item) =>
                html`<li>
                  <strong>${item.subject}</strong>
                  <span class="muted">${item.type}, ${formatDate(item.sentAt)}</span>
                </li>`,
            )}
          </ul>`
    }
    ${nextCursor ? html`<p class="paging"><a rel="next" href="/notifications?cursor=${encodeURIComponent(nextCursor)}">Older messages</a></p>` : ''}`;
  return layout({ title: 'Inbox', ctx, body });
}
