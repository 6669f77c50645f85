import { html, trustedHtml, type HtmlValue, type SafeHtml } from './html';

/** A cell: its content, or its content with a class and data attributes (what tests and styles key on). */
export type TableCell = HtmlValue | { value: HtmlValue; className?: string; attrs?: Record<string, string> };

/** A row: its cells, or its cells with attributes of the `<tr>`. */
export type TableRow = readonly TableCell[] | { cells: readonly TableCell[]; attrs?: Record<string, string> };

export interface TableOptions {
  id?: string;
  className?: string;
  /** The caption names the table for screen readers; hidden where a heading already says it. */
  captionHidden?: boolean;
  /** A `<tfoot>` row (a total), as markup. */
  footer?: SafeHtml;
}

const ATTRIBUTE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Every table of the site has the same shape: a caption, one header row of column
 * headers (`scope="col"`), a body. Written once, so none of them can lose its caption or
 * its header scopes (axe checks both).
 */
export function dataTable(
  caption: string,
  headers: readonly HtmlValue[],
  rows: readonly TableRow[],
  options: TableOptions = {},
): SafeHtml {
  return html`<table${attributes({ id: options.id, class: options.className })}>
    <caption${attributes({ class: options.captionHidden ? 'visually-hidden' : undefined })}>${caption}</caption>
    <thead>
      <tr>
        ${headers.map((header) => html`<th scope="col">${header}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map((row) => {
        const { cells, attrs } = Array.isArray(row)
          ? { cells: row as readonly TableCell[], attrs: undefined }
          : (row as { cells: readonly TableCell[]; attrs?: Record<string, string> });
        return html`<tr${attributes(attrs ?? {})}>${cells.map(renderCell)}</tr>`;
      })}
    </tbody>
    ${
      options.footer
        ? html`<tfoot>
            ${options.footer}
          </tfoot>`
        : ''
    }
  </table>`;
}

function renderCell(cell: TableCell): SafeHtml {
  if (cell !== null && typeof cell === 'object' && !Array.isArray(cell) && 'value' in cell) {
    return html`<td${attributes({ class: cell.className, ...cell.attrs })}>${cell.value}</td>`;
  }
  return html`<td>${cell as HtmlValue}</td>`;
}

/** ` name="value"` pairs; values are escaped, names are the code's own and must look like one. */
function attributes(attrs: Record<string, string | undefined>): SafeHtml {
  return html`${Object.entries(attrs)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => {
      if (!ATTRIBUTE_NAME.test(name)) throw new Error(`not an attribute name: ${name}`);
      return html` ${trustedHtml(name)}="${value}"`;
    })}`;
}
