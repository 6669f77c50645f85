import { dataTable } from './data-table';
import { html } from './html';

const squash = (text: string) => text.replace(/\s+/g, ' ').replace(/> </g, '><').trim();

describe('dataTable', () => {
  it('renders a caption, scoped column headers and escaped cells', () => {
    const table = dataTable('Orders <newest>', ['Order', 'Status'], [['a<b', html`<em>PAID</em>`]]);
    expect(squash(table.text)).toBe(
      '<table><caption>Orders &lt;newest&gt;</caption><thead><tr><th scope="col">Order</th><th scope="col">Status</th></tr></thead>' +
        '<tbody><tr><td>a&lt;b</td><td><em>PAID</em></td></tr></tbody></table>',
    );
  });

  it('hides the caption visually and carries row and cell attributes, a class, an id and a footer', () => {
    const table = dataTable(
      'Breakers',
      ['Caller'],
      [
        {
          cells: [{ value: 'order', className: 'ok', attrs: { 'data-x': '"1"' } }],
          attrs: { 'data-caller': 'order' },
        },
      ],
      {
        id: 'breakers',
        className: 'lines',
        captionHidden: true,
        footer: html`<tr>
          <td>1</td>
        </tr>`,
      },
    );
    expect(squash(table.text)).toContain(
      '<table id="breakers" class="lines"><caption class="visually-hidden">',
    );
    expect(squash(table.text)).toContain(
      '<tr data-caller="order"><td class="ok" data-x="&quot;1&quot;">order</td></tr>',
    );
    expect(squash(table.text)).toContain('<tfoot><tr><td>1</td></tr></tfoot>');
  });

  it('refuses an attribute name that is not one', () => {
    expect(() => dataTable('t', ['h'], [{ cells: ['x'], attrs: { 'onclick="x"': '' } }])).toThrow(
      'not an attribute name',
    );
  });
});
