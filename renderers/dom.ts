// DOM helpers for the renderer: every piece of text goes in through textContent, never as
// markup, so a name from a notebook can only ever be text.
import type { TableModel } from '../src/outputs/tables';

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function tableElement(model: TableModel): HTMLTableElement {
  const table = el('table', 'hb-table');
  table.dataset.table = model.id;
  table.append(el('caption', undefined, model.title));
  const head = el('thead');
  const headRow = el('tr');
  for (const c of model.columns) {
    const th = el('th', c.align === 'right' ? 'hb-num' : undefined, c.label);
    th.scope = 'col';
    headRow.append(th);
  }
  head.append(headRow);
  const body = el('tbody');
  for (const row of model.rows) {
    const tr = el('tr');
    model.columns.forEach((c, j) => {
      tr.append(el('td', c.align === 'right' ? 'hb-num' : undefined, row[j] ?? ''));
    });
    body.append(tr);
  }
  table.append(head, body);
  return table;
}

const STYLE_ID = 'hedgebook-renderer-style';

/** Our own stylesheet (no notebook text in it), added once per document. */
export function ensureStyle(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.append(style);
}

const CSS = `
.hb-result { font-family: var(--vscode-font-family, sans-serif); color: var(--vscode-editor-foreground, inherit);
  font-size: var(--vscode-font-size, 13px); max-width: 100%; overflow-x: auto; }
.hb-result h3 { font-size: 1.15em; margin: 4px 0 2px; font-weight: 600; }
.hb-muted { color: var(--vscode-descriptionForeground, #777); font-size: 0.9em; margin: 0 0 6px; }
.hb-warnings { margin: 6px 0; padding: 6px 10px; list-style: none;
  border-left: 3px solid var(--vscode-editorWarning-foreground, #bf8803);
  background: var(--vscode-inputValidation-warningBackground, rgba(191, 136, 3, 0.08)); }
.hb-warnings li::before { content: "⚠ "; }
.hb-error { margin: 6px 0; padding: 6px 10px; border-left: 3px solid var(--vscode-editorError-foreground, #e51400); }
.hb-table { border-collapse: collapse; margin: 8px 0 12px; font-variant-numeric: tabular-nums; }
.hb-table caption { text-align: left; font-weight: 600; padding: 2px 0 4px; }
.hb-table th, .hb-table td { padding: 3px 10px; border-bottom: 1px solid var(--vscode-editorWidget-border, rgba(128, 128, 128, 0.35));
  text-align: left; white-space: nowrap; }
.hb-table th { font-weight: 600; }
.hb-table .hb-num { text-align: right; }
.hb-chart { width: 100%; min-height: 120px; margin: 4px 0 8px; }
.hb-loading { color: var(--vscode-descriptionForeground, #777); font-style: italic; }
`;
