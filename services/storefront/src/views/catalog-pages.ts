import type { Product } from '../clients/api-schemas';
import { formatMoney } from './format';
import { html, type SafeHtml } from './html';
import { csrfField, layout, type PageContext } from './layout';

export interface CatalogView {
  products: Product[];
  categories: Array<{ name: string; count: number }>;
  query: string;
  category: string;
  nextCursor: string | null;
  /** The catalog came from the product service's cache while its database was away. */
  stale: boolean;
}

function pageLink(view: CatalogView, cursor: string): string {
  const params = new URLSearchParams();
  if (view.query) params.set('q', view.query);
  if (view.category) params.set('category', view.category);
  params.set('cursor', cursor);
  return `/?${params.toString()}`;
}

export function catalogPage(ctx: PageContext, view: CatalogView): SafeHtml {
  const heading = view.query ? `Results for “${view.query}”` : view.category ? view.category : 'All products';
  const body = html` <h1>${heading}</h1>
    ${view.stale ? html`<p class="flash info" role="status">Parts of the shop are slow right now: prices and stock shown may be a few minutes old.</p>` : ''}
    <div class="catalog">
      <nav aria-label="Categories" class="categories">
        <h2>Categories</h2>
        <ul>
          <li><a href="/" ${!view.category ? html` aria-current="page"` : ''}>All</a></li>
          ${view.categories.map(
            (category) =>
              html`<li>
                <a
                  href="/?category=${encodeURIComponent(category.name)}"
                  ${category.name === view.category ? html` aria-current="page"` : ''}
                  >${category.name} (${category.count})</a
                >
              </li>`,
          )}
        </ul>
      </nav>
      <section aria-labelledby="products-heading" class="products">
        <h2 id="products-heading" class="visually-hidden">Products</h2>
        ${
          view.products.length === 0
            ? html`<p>No products match. <a href="/">See all products</a>.</p>`
            : html`<ul class="grid">
                ${view.products.map(
                  (product) =>
                    html`<li class="card">
                      <h3><a href="/products/${product.id}">${product.name}</a></h3>
                      <p class="category">${product.category}</p>
                      <p class="price">${formatMoney(product.priceCents, product.currency)}</p>
                      <p class="${product.stock > 0 ? 'stock' : 'stock out'}">
                        ${product.stock > 0 ? `${product.stock} in stock` : 'Out of stock'}
                      </p>
                    </li>`,
                )}
              </ul>`
        }
        ${view.nextCursor ? html`<p class="paging"><a rel="next" href="${pageLink(view, view.nextCursor)}">Next page</a></p>` : ''}
      </section>
    </div>`;
  return layout({ title: heading, ctx: { ...ctx, query: view.query }, body });
}

export function productPage(ctx: PageContext, product: Product, stale: boolean): SafeHtml {
  const body = html` <article class="product">
    <h1>${product.name}</h1>
    ${stale ? html`<p class="flash info" role="status">Stock shown may be a few minutes old.</p>` : ''}
    <p class="category">
      Category: <a href="/?category=${encodeURIComponent(product.category)}">${product.category}</a>
    </p>
    <p>${product.description}</p>
    <p class="price">${formatMoney(product.priceCents, product.currency)}</p>
    <p class="${product.stock > 0 ? 'stock' : 'stock out'}">
      ${product.stock > 0 ? `${product.stock} in stock` : 'Out of stock'}
    </p>
    ${
      product.stock > 0
        ? html`<form method="post" action="/cart/items" class="stack">
            ${csrfField(ctx)}
            <input type="hidden" name="productId" value="${product.id}" />
            <label for="quantity">Quantity</label>
            <input
              id="quantity"
              name="quantity"
              type="number"
              min="1"
              max="${Math.min(product.stock, 100)}"
              value="1"
              required
            />
            <button type="submit">Add to cart</button>
          </form>`
        : ''
    }
    <p class="sku">SKU ${product.sku}</p>
  </article>`;
  return layout({ title: product.name, ctx, body });
}
