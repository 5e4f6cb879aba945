/** Escaping of strings that come from a notebook (asset names, labels, file names) before they
 *  reach a markup language. A shared notebook must never be able to run script or inject
 *  markup, in the editor, on GitHub or in an HTML report. */

/** HTML text and attribute values: & < > " ' become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}
const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Inline markdown text (CommonMark / GitHub): every character that could start markup
 *  (emphasis, links, HTML, tables, headings) is backslash-escaped; newlines become spaces so
 *  a name cannot break out of a table row or a heading. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>|#!~&{}$]/g, (c) => `\\${c}`);
}

/** Text placed in a plotly string (trace name, category, title, hover template). Plotly renders
 *  a small HTML subset in those strings and substitutes %{...} in templates, so the markup
 *  characters and % become numeric entities, which plotly decodes back to plain text. */
export function escapePlotly(text: string): string {
  return text.replace(/[&<>"'%]/g, (c) => `&#${c.charCodeAt(0)};`);
}
